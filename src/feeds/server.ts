import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/load.js';
import { httpStatusFor, SecwireError, toSecwireError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { scheduleIntervalMs } from '../fetchers/next-fetch.js';
import { parseQuery } from '../store/search-query.js';
import { catalogOpml, feedCatalog } from './catalog.js';
import { storeStoryLookup, type StoryLookup } from './entries.js';
import { storiesResponse } from '../store/stories-api.js';
import { makeCachedBody, sendCached, type CachedBody } from './http-cache.js';
import { matchFeedRoute, parseInstant, parseLimit, parseTagParams, renderFeedRoute, type FeedRequest, type RouteContext } from './routes.js';
import { matchWebRoute, notFoundPage, STYLESHEET, STYLESHEET_PATH, WEB_CONTENT_SECURITY_POLICY } from './web.js';

export interface WireServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  config: Config;
  store: Store;
  logger: Logger;
  host?: string;
  port?: number;
  /** Most rendered responses kept in memory. */
  cacheEntries?: number;
  /** Routes tried before the built-in ones (the daemon's /healthz and /metrics); true when the request was answered. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  /** Told of every cached-response lookup and whether it hit (the daemon's metrics). */
  onCacheLookup?: (key: string, hit: boolean) => void;
  /** Story members for one entry per story and "Also covered by"; default: the store's stories; null: none. */
  stories?: StoryLookup | null;
}

interface ParsedUrl {
  /** Shared by every request for the same URL: read it, never change it. */
  url: URL;
  cacheKey: string;
  feed: FeedRequest | null;
}

interface CacheSlot {
  token: string;
  cached: CachedBody;
}

/**
 * The HTTP side of the wire. Rendered feeds are cached in memory and keyed by the store's change token,
 * so a hit costs no query and an ingest (in this process or another) invalidates them.
 */
export async function startServer(options: ServerOptions): Promise<WireServer> {
  const { store, logger } = options;
  // An empty baseUrl means "wherever we end up listening" (the demo binds a random or given port).
  let config = options.config;
  const cache = new Map<string, CacheSlot>();
  const maxEntries = options.cacheEntries ?? 256;
  const stories = options.stories === undefined ? storeStoryLookup(store) : options.stories;
  const maxAgeSeconds = Math.max(60, Math.round(scheduleIntervalMs(config.schedule) / 1000 / 4));

  const cachedOrRender = (key: string, render: () => { body: string; contentType: string; lastModified: Date | null; cacheable?: boolean }): CachedBody => {
    const token = store.changeToken();
    const slot = cache.get(key);
    options.onCacheLookup?.(key, slot?.token === token);
    if (slot && slot.token === token) return slot.cached;
    const rendered = render();
    const cached = makeCachedBody(rendered.body, rendered.contentType, rendered.lastModified, maxAgeSeconds);
    if (rendered.cacheable === false) return cached;
    cache.delete(key);
    cache.set(key, { token, cached });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    return cached;
  };

  // Feed readers poll the same few URLs: each is parsed and routed once, not on every request.
  const parsedUrls = new Map<string, ParsedUrl>();
  const parseUrl = (raw: string): ParsedUrl => {
    let parsed = parsedUrls.get(raw);
    if (parsed !== undefined) return parsed;
    const url = new URL(raw, 'http://localhost');
    const cacheKey = `${url.pathname}?${[...url.searchParams].sort().map(([k, v]) => `${k}=${v}`).join('&')}`;
    parsed = { url, cacheKey, feed: matchFeedRoute(url.pathname, url.searchParams) };
    if (parsedUrls.size >= maxEntries) parsedUrls.clear();
    parsedUrls.set(raw, parsed);
    return parsed;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const { url, cacheKey, feed } = parseUrl(req.url ?? '/');
    if (options.extraRoutes?.(req, res, url)) return;
    const routes: RouteContext = { config, store, stories };
    if (feed) {
      sendCached(req, res, cachedOrRender(cacheKey, () => renderFeedRoute(routes, feed, url.searchParams)));
      return;
    }
    if (url.pathname === '/opml') {
      sendCached(req, res, cachedOrRender(cacheKey, () => ({ body: catalogOpml(routes, feedCatalog(routes)), contentType: 'text/x-opml; charset=utf-8', lastModified: null })));
      return;
    }
    if (url.pathname === STYLESHEET_PATH) {
      sendCached(req, res, cachedOrRender(cacheKey, () => ({ body: STYLESHEET, contentType: 'text/css; charset=utf-8', lastModified: null })));
      return;
    }
    const page = matchWebRoute(url.pathname, url.searchParams);
    if (page) {
      setPageHeaders(res);
      let status = 200;
      const cached = cachedOrRender(cacheKey, () => {
        const rendered = page(routes);
        status = rendered.status;
        // Error pages (a malformed search) are sent once and not cached.
        return { body: rendered.html, contentType: 'text/html; charset=utf-8', lastModified: null, cacheable: rendered.status === 200 };
      });
      if (status !== 200) return sendHtml(res, status, cached.body.toString('utf8'));
      sendCached(req, res, cached);
      return;
    }
    if (url.pathname === '/healthz') return sendHealth(res, store, config);
    if (url.pathname === '/api/sources') return sendJson(res, 200, { sources: store.sourceStates().map(publicSourceState) });
    if (url.pathname === '/api/stories') return sendJson(res, 200, storiesResponse(store, url.searchParams, { defaultLimit: config.feeds.defaultLimit, maxLimit: config.feeds.maxLimit }));
    if (url.pathname === '/api/articles') return sendJson(res, 200, apiArticles(url.searchParams, config, store));
    const articleMatch = /^\/api\/articles\/(\d+)$/.exec(url.pathname);
    if (articleMatch) {
      const article = store.article(Number(articleMatch[1]));
      if (!article) throw new SecwireError('NotFound', `no article ${articleMatch[1]}`);
      return sendJson(res, 200, { ...article, tagDetails: store.articleTags(article.id) });
    }
    if (url.pathname === '/api/tags') {
      const type = url.searchParams.get('type') ?? undefined;
      const prefix = url.searchParams.get('prefix') ?? undefined;
      return sendJson(res, 200, { tags: store.tagCounts(type, prefix, parseLimit(url.searchParams.get('limit'), config)) });
    }
    throw new SecwireError('NotFound', `no route for ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (thrown) {
      const error = toSecwireError(thrown, 'StoreError');
      const status = httpStatusFor(error);
      if (status >= 500) logger.error({ err: error, url: req.url }, 'request failed');
      if (res.headersSent) res.destroy();
      else if (isPagePath(req.url ?? '/') && status === 404) {
        setPageHeaders(res);
        sendHtml(res, 404, notFoundPage({ config, store }, error.message).html);
      } else sendJson(res, status, { error: { kind: error.kind, message: error.message } });
    }
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new SecwireError('UsageError', `port ${port} on ${host} is already in use (set --port or server.port)`) : error),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  if (!config.server.baseUrl) config = { ...config, server: { ...config.server, baseUrl: url } };
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-cache' });
  res.end(body);
}

function sendHealth(res: ServerResponse, store: Store, config: Config): void {
  try {
    const articles = store.articleCount();
    sendJson(res, 200, { status: 'ok', articles, lastCycleAt: store.meta('last_cycle_at'), lastSuccessAt: store.meta('last_success_at'), sources: config.sources.length });
  } catch (error) {
    sendJson(res, 503, { status: 'unavailable', error: (error as Error).message });
  }
}

function publicSourceState(state: ReturnType<Store['sourceStates']>[number]): Record<string, unknown> {
  const { etag: _etag, lastModified: _lastModified, ...visible } = state;
  return visible;
}

/** `/api/articles`: the stored list, or a full-text search when `q` is given (QueryError -> 400). */
function apiArticles(params: URLSearchParams, config: Config, store: Store): unknown {
  const query = {
    limit: parseLimit(params.get('limit'), config),
    source: params.get('source') ?? undefined,
    tags: parseTagParams(params.getAll('tag').filter(Boolean)),
    since: parseInstant('since', params.get('since')),
    until: parseInstant('until', params.get('until')),
    cursor: params.get('cursor') ?? undefined,
  };
  const q = params.get('q');
  if (q === null || q.trim() === '') return store.articles(query);
  const { hits, nextCursor } = store.search({ ...query, match: parseQuery(q) });
  return { articles: hits.map((hit) => ({ ...hit.article, rank: hit.rank, snippet: hit.snippet })), nextCursor };
}

function isPagePath(rawUrl: string): boolean {
  const pathname = new URL(rawUrl, 'http://localhost').pathname;
  return pathname === '/' || pathname === '/search' || pathname.startsWith('/tag/') || pathname.startsWith('/article/');
}

function setPageHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', WEB_CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-cache' });
  res.end(html);
}
