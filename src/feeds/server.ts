import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/load.js';
import { httpStatusFor, SecwireError, toSecwireError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { scheduleIntervalMs } from '../fetchers/next-fetch.js';
import { makeCachedBody, sendCached, type CachedBody } from './http-cache.js';
import { matchFeedRoute, parseInstant, parseLimit, renderFeedRoute } from './routes.js';
import { escapeXml } from './xml.js';

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
  const maxAgeSeconds = Math.max(60, Math.round(scheduleIntervalMs(config.schedule) / 1000 / 4));

  const cachedOrRender = (key: string, render: () => { body: string; contentType: string; lastModified: Date | null }): CachedBody => {
    const token = store.changeToken();
    const slot = cache.get(key);
    if (slot && slot.token === token) return slot.cached;
    const rendered = render();
    const cached = makeCachedBody(rendered.body, rendered.contentType, rendered.lastModified, maxAgeSeconds);
    cache.delete(key);
    cache.set(key, { token, cached });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    return cached;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    const feed = matchFeedRoute(url.pathname);
    if (feed) {
      const key = `${url.pathname}?${[...url.searchParams].sort().map(([k, v]) => `${k}=${v}`).join('&')}`;
      sendCached(req, res, cachedOrRender(key, () => renderFeedRoute({ config, store }, feed, url.searchParams)));
      return;
    }
    if (url.pathname === '/healthz') return sendHealth(res, store, config);
    if (url.pathname === '/api/sources') return sendJson(res, 200, { sources: store.sourceStates().map(publicSourceState) });
    if (url.pathname === '/api/articles') {
      const page = store.articles({
        limit: parseLimit(url.searchParams.get('limit'), config),
        source: url.searchParams.get('source') ?? undefined,
        tags: url.searchParams.getAll('tag').filter(Boolean),
        since: parseInstant('since', url.searchParams.get('since')),
        until: parseInstant('until', url.searchParams.get('until')),
        cursor: url.searchParams.get('cursor') ?? undefined,
      });
      return sendJson(res, 200, page);
    }
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
    if (url.pathname === '/') return sendIndex(res, config, store);
    throw new SecwireError('NotFound', `no route for ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (thrown) {
      const error = toSecwireError(thrown, 'StoreError');
      const status = httpStatusFor(error);
      if (status >= 500) logger.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, status, { error: { kind: error.kind, message: error.message } });
      else res.destroy();
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

function sendIndex(res: ServerResponse, config: Config, store: Store): void {
  const feeds = ['rss', 'atom', 'json'].map((f) => escapeXml(`${config.server.baseUrl}/feeds/all.${f}`)).map((u) => `<li><a href="${u}">${u}</a></li>`).join('');
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>secwire</title></head><body><h1>secwire</h1><p>${store.articleCount()} articles from ${config.sources.length} sources.</p><h2>Subscribe</h2><ul>${feeds}</ul></body></html>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
