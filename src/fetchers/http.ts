import { lookup } from 'node:dns/promises';
import PQueue from 'p-queue';
import { Agent, EnvHttpProxyAgent, request as undiciRequest, type Dispatcher } from 'undici';
import { SecwireError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { blockedAddressError, hostPortKey, ipLiteral, isBlockedAddress, normaliseAllowList } from './address-guard.js';
import { discoverFeeds } from './discover.js';
import { readBody, tooLarge } from './http-body.js';
import { createGuardedConnector } from './http-connector.js';
import { httpStatusError, mapNetworkError } from './http-errors.js';
import { isHtmlInsteadOfFeed } from './http-sniff.js';
import type { AcceptKind, FetchConfig, FetchRequest, FetchResult, HttpClient } from './types.js';

const ACCEPT: Record<AcceptKind, string> = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5',
  page: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8',
  json: 'application/json, */*;q=0.5',
  any: '*/*',
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** How long an idle keep-alive connection is kept for the next request to the same origin. */
const KEEP_ALIVE_MS = 30_000;

type HopOutcome = { redirectTo: string } | { result: FetchResult };

/** Validates a URL secwire is asked to fetch: absolute, http(s), no credentials. */
export function parseFetchUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SecwireError('BadUrl', `"${raw}" is not a valid absolute URL`, { url: raw });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SecwireError('BadUrl', `${raw}: only http and https URLs are fetched, not ${url.protocol.replace(/:$/, '')}`, { url: raw });
  }
  if (url.username !== '' || url.password !== '') {
    throw new SecwireError('BadUrl', `${url.protocol}//${url.host}${url.pathname}: URLs with credentials are refused`, {
      url: `${url.protocol}//${url.host}${url.pathname}`,
    });
  }
  url.hash = '';
  return url;
}

/** Proxy URLs in play: `fetch.proxy`, else HTTPS_PROXY / HTTP_PROXY from the environment. */
function proxyUrls(config: FetchConfig): string[] {
  if (config.proxy !== null) return [config.proxy];
  const env = process.env;
  return [env['https_proxy'], env['HTTPS_PROXY'], env['http_proxy'], env['HTTP_PROXY']].filter(
    (value): value is string => value !== undefined && value !== '',
  );
}

/** Proxy URLs may carry credentials (unlike fetched URLs); they must be absolute http(s) URLs. */
function parseProxyUrl(raw: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    const shown = raw.replace(/\/\/[^@/]*@/, '//***@');
    throw new SecwireError('ConfigError', `fetch.proxy (or HTTPS_PROXY/HTTP_PROXY): "${shown}" is not an http(s) URL`, { key: 'fetch.proxy' });
  }
  return url;
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export function createHttpClient(config: FetchConfig, logger: Logger = silentLogger): HttpClient {
  const allowed = normaliseAllowList(config.allowPrivateHosts);
  const proxies = proxyUrls(config);
  // A proxy the user configured is reached even on a private address; the targets behind it are still checked.
  for (const proxy of proxies) {
    const proxyUrl = parseProxyUrl(proxy);
    allowed.add(hostPortKey(proxyUrl.hostname, proxyUrl.port, proxyUrl.protocol));
  }
  const agentOptions = {
    connect: createGuardedConnector({ allowed, connectTimeoutMs: config.headersTimeoutMs }),
    keepAliveTimeout: KEEP_ALIVE_MS,
    // The queues bound requests; this bounds sockets, which undici would otherwise open anew when the next
    // queued request starts before the previous socket is back in the pool.
    connections: config.perHostConcurrency,
    headersTimeout: config.headersTimeoutMs,
    bodyTimeout: config.timeoutMs,
  };
  const dispatcher: Dispatcher =
    proxies.length === 0
      ? new Agent(agentOptions)
      : new EnvHttpProxyAgent({ ...agentOptions, ...(config.proxy !== null ? { httpProxy: config.proxy, httpsProxy: config.proxy } : {}) });

  const globalQueue = new PQueue({ concurrency: config.concurrency });
  const hostQueues = new Map<string, PQueue>();
  function hostQueue(hostname: string): PQueue {
    let queue = hostQueues.get(hostname);
    if (queue === undefined) {
      queue = new PQueue({ concurrency: config.perHostConcurrency });
      hostQueues.set(hostname, queue);
    }
    return queue;
  }

  /**
   * Holds a request until `perHostDelayMs` after the previous start on its host. Hand-rolled because p-queue's
   * `interval` counts starts per fixed window, which lets two starts land closer than the interval.
   */
  const nextStartAt = new Map<string, number>();
  async function spaceOut(hostname: string): Promise<void> {
    if (config.perHostDelayMs <= 0) return;
    const now = Date.now();
    const at = Math.max(now, nextStartAt.get(hostname) ?? 0);
    nextStartAt.set(hostname, at + config.perHostDelayMs);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  /**
   * Refuses private IP literals before anything is sent. The connector checks them again at connect time; this
   * early check also covers requests tunnelled through a proxy, where DNS names are checked here too because the
   * proxy resolves them out of our sight.
   */
  async function checkTarget(url: URL): Promise<void> {
    if (allowed.has(hostPortKey(url.hostname, url.port, url.protocol))) return;
    const literal = ipLiteral(url.hostname);
    if (literal !== null) {
      if (isBlockedAddress(literal)) throw blockedAddressError(url.href, literal);
      return;
    }
    if (proxies.length === 0) return;
    const addresses = await lookup(url.hostname, { all: true }).catch(() => []);
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
    if (blocked !== undefined) throw blockedAddressError(url.href, blocked.address);
  }

  /**
   * A kept-alive socket that the server closed just as we reused it fails before any response arrives.
   * GET is idempotent and nothing was received, so one more try on a fresh connection is safe.
   */
  async function requestWithStaleSocketRetry(url: URL, options: Parameters<typeof undiciRequest>[1] & { signal: AbortSignal }): ReturnType<typeof undiciRequest> {
    try {
      return await undiciRequest(url, options);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (options.signal.aborted || (code !== 'ECONNRESET' && code !== 'EPIPE' && code !== 'UND_ERR_SOCKET')) throw error;
      logger.debug({ url: url.href, code }, 'connection closed before a response; retrying once');
      return undiciRequest(url, options);
    }
  }

  async function hop(url: URL, request: FetchRequest, signal: AbortSignal): Promise<HopOutcome> {
    await checkTarget(url);
    const headers: Record<string, string> = {
      'user-agent': config.userAgent,
      accept: ACCEPT[request.accept],
      'accept-encoding': 'gzip, deflate, br',
    };
    if (request.etag) headers['if-none-match'] = request.etag;
    if (request.lastModified) headers['if-modified-since'] = request.lastModified;
    const response = await requestWithStaleSocketRetry(url, { dispatcher, method: 'GET', headers, signal });
    const responseHeaders = flattenHeaders(response.headers);
    const base = {
      url: url.href,
      status: response.statusCode,
      headers: responseHeaders,
      etag: responseHeaders['etag'] ?? null,
      lastModified: responseHeaders['last-modified'] ?? null,
    };
    const location = responseHeaders['location'];
    if (REDIRECT_STATUSES.has(response.statusCode) && location !== undefined) {
      await response.body.dump();
      return { redirectTo: location };
    }
    if (response.statusCode === 304) {
      await response.body.dump();
      return { result: { ...base, notModified: true } };
    }
    if (response.statusCode >= 400) {
      await response.body.dump();
      throw httpStatusError(url.href, response.statusCode, '', responseHeaders['retry-after'] ?? null);
    }
    if (response.statusCode >= 300) {
      await response.body.dump();
      throw new SecwireError('Network', `${url.href} answered HTTP ${response.statusCode} without a usable Location`, {
        url: url.href,
        status: response.statusCode,
      });
    }
    const declaredLength = Number(responseHeaders['content-length'] ?? Number.NaN);
    if (declaredLength > config.maxBytes) {
      response.body.destroy();
      throw tooLarge(url.href, config.maxBytes, 'content-length');
    }
    const body = await readBody(url.href, response.body, responseHeaders['content-encoding'] ?? null, config.maxBytes);
    const contentType = responseHeaders['content-type'] ?? null;
    if (request.accept === 'feed' && isHtmlInsteadOfFeed(body, contentType)) {
      const suggestedFeeds = discoverFeeds(body.toString('utf8'), url.href);
      const hint = suggestedFeeds.length > 0 ? `; the page links to ${suggestedFeeds.join(', ')}` : '';
      throw new SecwireError('NotAFeed', `${url.href} is an HTML page, not a feed${hint}`, { url: url.href, suggestedFeeds });
    }
    return { result: { ...base, notModified: false, body, contentType } };
  }

  /** `onStart` runs when the hop leaves the queues: time spent waiting for a slot is not the server's fault. */
  async function queuedHop(url: URL, request: FetchRequest, signal: AbortSignal, onStart: () => void): Promise<HopOutcome> {
    const queueOptions = request.signal === undefined ? {} : { signal: request.signal };
    const run = (): Promise<HopOutcome> => {
      onStart();
      return hop(url, request, signal);
    };
    return hostQueue(url.hostname).add(async () => {
      await spaceOut(url.hostname);
      return globalQueue.add(run, queueOptions);
    }, queueOptions);
  }

  async function fetchUrl(rawUrl: string, request: FetchRequest): Promise<FetchResult> {
    let url = parseFetchUrl(rawUrl);
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    // The total timeout runs from the first byte sent, across every redirect hop.
    const startTimer = (): void => {
      timer ??= setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, config.timeoutMs);
    };
    const onCallerAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const visited = new Set<string>([url.href]);
    const started = Date.now();
    try {
      for (let redirects = 0; ; redirects += 1) {
        let outcome: HopOutcome;
        try {
          outcome = await queuedHop(url, request, controller.signal, startTimer);
        } catch (error) {
          if (timedOut) {
            throw new SecwireError('Timeout', `${url.href} did not finish within ${config.timeoutMs} ms (fetch.timeoutMs)`, {
              url: url.href,
              timeoutMs: config.timeoutMs,
            });
          }
          if (request.signal?.aborted === true) {
            throw new SecwireError('Network', `fetching ${url.href} was cancelled`, { url: url.href, cancelled: true });
          }
          throw mapNetworkError(error, url.href, config.timeoutMs);
        }
        if ('result' in outcome) {
          logger.debug({ url: url.href, status: outcome.result.status, ms: Date.now() - started }, 'fetched');
          return outcome.result;
        }
        const next = parseFetchUrl(new URL(outcome.redirectTo, url).href);
        if (visited.has(next.href)) {
          throw new SecwireError('RedirectLoop', `${rawUrl} redirects in a loop (back to ${next.href})`, { url: rawUrl, loopsAt: next.href });
        }
        if (redirects + 1 > config.maxRedirects) {
          throw new SecwireError('TooManyRedirects', `${rawUrl} redirects more than ${config.maxRedirects} times (fetch.maxRedirects)`, {
            url: rawUrl,
            limit: config.maxRedirects,
          });
        }
        visited.add(next.href);
        url = next;
      }
    } catch (error) {
      const failure = error instanceof SecwireError ? error : mapNetworkError(error, url.href, config.timeoutMs);
      if (failure.kind === 'BlockedAddress') logger.warn({ kind: failure.kind, url: url.href }, failure.message);
      else logger.debug({ kind: failure.kind, url: url.href }, failure.message);
      throw failure;
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  return {
    fetch: fetchUrl,
    async close(): Promise<void> {
      globalQueue.clear();
      for (const queue of hostQueues.values()) queue.clear();
      await dispatcher.close();
    },
  };
}
