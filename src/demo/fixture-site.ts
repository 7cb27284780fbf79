/**
 * A loopback web site of fictional security outlets, for `secwire demo` and for the tests of every stage:
 * feeds in RSS 2.0, RSS 1.0, Atom and JSON Feed, article pages wrapped in real-looking clutter,
 * conditional GET (ETag / Last-Modified -> 304), gzip on request, and routes that fail on purpose.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { SecwireError } from '../errors.js';
import {
  loadFixtureData,
  parseBlocks,
  type FixtureArticle,
  type FixtureArticleData,
  type FixtureData,
  type FixtureFormat,
  type FixtureOutletData,
} from './fixture-data.js';
import { articleUrl, renderFeed, type RenderedResource } from './fixture-feeds.js';
import {
  ENCODING_CASES,
  encodingFeedBytes,
  FIXTURE_FAULTS,
  HUGE_FEED_BYTES,
  HUGE_FEED_HEAD,
  HUGE_FEED_TAIL,
  htmlNotFeedPage,
  malformedFeed,
} from './fixture-faults.js';
import { escapeHtml, httpDate } from './fixture-html.js';
import { TEMPLATES } from './fixture-templates.js';

export { ENCODING_CASES, FIXTURE_FAULTS, HUGE_FEED_BYTES } from './fixture-faults.js';
export type { EncodingCase } from './fixture-faults.js';

export interface FixtureOutlet {
  id: string;
  name: string;
  siteUrl: string;
  feedUrl: string;
  format: FixtureFormat;
  /** True when the feed is truncated and a reader should fetch each article page. */
  articles: boolean;
}

export interface FixtureSiteArticle extends FixtureArticle {
  /** Absolute URL of the page on this running site. */
  url: string;
}

export interface FixtureRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FixtureSite {
  url: string;
  host: string;
  port: number;
  outlets: FixtureOutlet[];
  /** Every article, with its URL on this site: the expectations for extraction, tagging and stories. */
  articles: FixtureSiteArticle[];
  requestLog: FixtureRequest[];
  /**
   * Changes one article (`outlet/slug`) from now on: its page, its feed entry and the feed's ETag and
   * Last-Modified, as a publisher's edit would. For revision tests; the data files are not touched.
   * Last-Modified moves only when `updated` is given, like a publisher that edits without re-dating.
   */
  reviseArticle(key: string, changes: ArticleRevision): FixtureSiteArticle;
  close(): Promise<void>;
}

export type ArticleRevision = Partial<Pick<FixtureArticleData, 'title' | 'dek' | 'body' | 'updated'>>;

export interface FixtureSiteOptions {
  host?: string;
  port?: number;
}

interface Resource {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: string;
  gzipped?: Buffer;
}

/** Last-Modified of resources that have no date of their own. */
const SITE_EPOCH = '2026-10-01T00:00:00Z';
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const HUGE_CHUNK = `<!-- ${'padding '.repeat(8190)}-->\n`;

function resource(rendered: RenderedResource): Resource {
  return {
    body: rendered.body,
    contentType: rendered.contentType,
    etag: `"${createHash('sha1').update(rendered.body).digest('hex').slice(0, 20)}"`,
    lastModified: httpDate(rendered.modified),
  };
}

function html(text: string, modified: string, encoding = 'utf-8'): Resource {
  return resource({ body: iconv.encode(text, encoding), contentType: `text/html; charset=${encoding}`, modified });
}

function relatedLinks(baseUrl: string, data: FixtureData, article: FixtureArticle): { title: string; url: string }[] {
  return data.articles
    .filter((other) => other.outlet === article.outlet && other.slug !== article.slug)
    .sort((a, b) => Date.parse(b.published) - Date.parse(a.published))
    .slice(0, 7)
    .map((other) => ({ title: other.title, url: articleUrl(baseUrl, other) }));
}

function outletHome(baseUrl: string, outlet: FixtureOutletData, articles: FixtureArticle[]): string {
  const list = articles.map((article) => `<li><a href="${articleUrl(baseUrl, article)}">${escapeHtml(article.title)}</a></li>`).join('\n');
  const type = outlet.format === 'json' ? 'application/feed+json' : outlet.format === 'atom' ? 'application/atom+xml' : 'application/rss+xml';
  return `<!DOCTYPE html>
<html lang="${outlet.lang}"><head><meta charset="${outlet.encoding}"><title>${escapeHtml(outlet.name)}</title>
<link rel="alternate" type="${type}" title="${escapeHtml(outlet.name)}" href="${outlet.feedPath}">
</head><body><h1>${escapeHtml(outlet.name)}</h1><p>${escapeHtml(outlet.tagline)}</p><ul>
${list}
</ul></body></html>
`;
}

function siteIndex(baseUrl: string, outlets: FixtureOutletData[]): string {
  const rows = outlets
    .map((outlet) => `<li><a href="/${outlet.id}/">${escapeHtml(outlet.name)}</a> — <a href="${baseUrl}${outlet.feedPath}">${outlet.format} feed</a></li>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>secwire fixture site</title></head><body>
<h1>secwire fixture site</h1><p>Fictional outlets with synthetic security news, written for secwire's demo and tests.</p>
<ul>
${rows}
</ul></body></html>
`;
}

function buildResources(baseUrl: string, data: FixtureData): Map<string, Resource> {
  const resources = new Map<string, Resource>();
  for (const outlet of data.outlets) {
    resources.set(outlet.feedPath, resource(renderFeed(baseUrl, outlet, data)));
    const template = TEMPLATES[outlet.id];
    if (!template) throw new SecwireError('ConfigError', `fixture outlet "${outlet.id}" has no page template in src/demo/fixture-templates.ts`);
    const own = data.articles.filter((article) => article.outlet === outlet.id).sort((a, b) => Date.parse(b.published) - Date.parse(a.published));
    for (const article of own) {
      const page = template({ baseUrl, outlet, article, url: articleUrl(baseUrl, article), related: relatedLinks(baseUrl, data, article) });
      resources.set(article.path, html(page, article.updated ?? article.published, outlet.encoding));
    }
    resources.set(`/${outlet.id}/`, html(outletHome(baseUrl, outlet, own), own[0]?.updated ?? own[0]?.published ?? SITE_EPOCH, outlet.encoding));
  }
  resources.set('/', html(siteIndex(baseUrl, data.outlets), SITE_EPOCH));
  resources.set('/robots.txt', resource({ body: Buffer.from('User-agent: *\nAllow: /\n'), contentType: 'text/plain; charset=utf-8', modified: SITE_EPOCH }));
  for (const testCase of ENCODING_CASES) {
    resources.set(testCase.path, resource({ body: encodingFeedBytes(baseUrl, testCase), contentType: 'application/rss+xml', modified: SITE_EPOCH }));
  }
  resources.set(FIXTURE_FAULTS.htmlNotFeed, html(htmlNotFeedPage(baseUrl), SITE_EPOCH));
  resources.set(FIXTURE_FAULTS.malformed, resource({ body: Buffer.from(malformedFeed(baseUrl)), contentType: 'application/rss+xml; charset=utf-8', modified: SITE_EPOCH }));
  return resources;
}

function acceptsGzip(request: IncomingMessage): boolean {
  const header = request.headers['accept-encoding'];
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';').map((token) => token.trim());
    const q = params.find((param) => param.startsWith('q='));
    return (coding === 'gzip' || coding === 'x-gzip') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function isNotModified(request: IncomingMessage, entry: Resource): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch) {
    return ifNoneMatch.split(',').some((tag) => {
      const trimmed = tag.trim().replace(/^W\//, '');
      return trimmed === '*' || trimmed === entry.etag;
    });
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince) {
    const since = Date.parse(ifModifiedSince);
    return !Number.isNaN(since) && Date.parse(entry.lastModified) <= since;
  }
  return false;
}

function send(request: IncomingMessage, response: ServerResponse, entry: Resource): void {
  response.setHeader('ETag', entry.etag);
  response.setHeader('Last-Modified', entry.lastModified);
  response.setHeader('Vary', 'Accept-Encoding');
  response.setHeader('Cache-Control', 'max-age=300');
  if (isNotModified(request, entry)) {
    response.writeHead(304).end();
    return;
  }
  let body = entry.body;
  if (acceptsGzip(request)) {
    entry.gzipped ??= gzipSync(entry.body);
    body = entry.gzipped;
    response.setHeader('Content-Encoding', 'gzip');
  }
  response.writeHead(200, { 'Content-Type': entry.contentType, 'Content-Length': body.length });
  response.end(request.method === 'HEAD' ? undefined : body);
}

function plain(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }).end(`${text}\n`);
}

function streamHuge(response: ServerResponse): void {
  response.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', 'Content-Length': HUGE_FEED_BYTES });
  const padding = HUGE_FEED_BYTES - HUGE_FEED_HEAD.length - HUGE_FEED_TAIL.length;
  let remaining = padding;
  let closed = false;
  response.on('close', () => {
    closed = true;
  });
  response.write(HUGE_FEED_HEAD);
  const pump = (): void => {
    while (!closed && remaining > 0) {
      const chunk = remaining >= HUGE_CHUNK.length ? HUGE_CHUNK : ' '.repeat(remaining);
      remaining -= chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    if (!closed) response.end(HUGE_FEED_TAIL);
  };
  pump();
}

/** Answers the fault routes that are not plain resources; returns false when the path is not one. */
function handleFault(path: string, response: ServerResponse): boolean {
  switch (path) {
    case FIXTURE_FAULTS.serverError:
      plain(response, 500, 'Internal Server Error');
      return true;
    case FIXTURE_FAULTS.notFound:
      plain(response, 404, 'Not Found');
      return true;
    case FIXTURE_FAULTS.retryAfter:
      plain(response, 503, 'Service Unavailable', { 'Retry-After': '120' });
      return true;
    case FIXTURE_FAULTS.hang:
      // Leave the request open: close() destroys the socket.
      return true;
    case FIXTURE_FAULTS.redirect:
      response.writeHead(301, { Location: '/breach-ledger/feed.xml' }).end();
      return true;
    case FIXTURE_FAULTS.redirectLoop:
      response.writeHead(302, { Location: FIXTURE_FAULTS.redirectLoop }).end();
      return true;
    case FIXTURE_FAULTS.huge:
      streamHuge(response);
      return true;
    default:
      return false;
  }
}

function staticImage(path: string): Resource | null {
  if (/^\/([a-z0-9-]+\/)?img\/[a-z0-9-]+\.png$/.test(path)) {
    return { body: PNG_1X1, contentType: 'image/png', etag: '"png-1x1"', lastModified: httpDate(SITE_EPOCH) };
  }
  if (path === '/pixel.gif') return { body: GIF_1X1, contentType: 'image/gif', etag: '"gif-1x1"', lastModified: httpDate(SITE_EPOCH) };
  return null;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startFixtureSite(options: FixtureSiteOptions = {}): Promise<FixtureSite> {
  const host = options.host ?? '127.0.0.1';
  const loaded = loadFixtureData();
  // A copy, so revisions stay with this running site and never reach the cached data.
  const data: FixtureData = { outlets: loaded.outlets, articles: loaded.articles.map((article) => ({ ...article })) };
  const requestLog: FixtureRequest[] = [];
  const sockets = new Set<Socket>();
  let resources = new Map<string, Resource>();

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://fixture.invalid').pathname;
    requestLog.push({ method: request.method ?? 'GET', path, headers: { ...request.headers } });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      plain(response, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return;
    }
    if (handleFault(path, response)) return;
    const entry = resources.get(path) ?? staticImage(path);
    if (!entry) {
      plain(response, 404, 'Not Found');
      return;
    }
    send(request, response, entry);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new SecwireError('Network', `fixture site cannot listen on ${host}:${options.port ?? 0}: ${error.message}`, {}, { cause: error })));
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;
  resources = buildResources(url, data);
  const articles: FixtureSiteArticle[] = data.articles.map((article) => ({ ...article, url: articleUrl(url, article) }));

  const reviseArticle = (key: string, changes: ArticleRevision): FixtureSiteArticle => {
    const index = data.articles.findIndex((article) => `${article.outlet}/${article.slug}` === key);
    const current = data.articles[index];
    if (!current) throw new SecwireError('NotFound', `no fixture article "${key}" (expected "outlet/slug")`);
    const revised: FixtureArticle = { ...current, ...changes, blocks: changes.body ? parseBlocks(changes.body) : current.blocks };
    data.articles[index] = revised;
    articles[index] = { ...revised, url: articleUrl(url, revised) };
    resources = buildResources(url, data);
    return articles[index] as FixtureSiteArticle;
  };

  return {
    url,
    host,
    port,
    outlets: data.outlets.map((outlet) => ({
      id: outlet.id,
      name: outlet.name,
      siteUrl: `${url}/${outlet.id}/`,
      feedUrl: `${url}${outlet.feedPath}`,
      format: outlet.format,
      articles: outlet.articles,
    })),
    articles,
    requestLog,
    reviseArticle,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
