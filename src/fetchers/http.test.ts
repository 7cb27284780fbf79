import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SecwireError } from '../errors.js';
import {
  FEED_ETAG,
  FEED_LAST_MODIFIED,
  FEED_XML,
  startAdversarialServer,
  startConnectProxy,
  type AdversarialServer,
} from '../../test/support/adversarial-server.js';
import { DEFAULT_FETCH_CONFIG } from './defaults.js';
import { createHttpClient } from './http.js';
import { silentLogger } from '../log.js';
import type { FetchConfig, FetchOk, HttpClient } from './types.js';

const MiB = 1024 * 1024;

let server: AdversarialServer;
let otherServer: AdversarialServer;
const clients: HttpClient[] = [];

beforeAll(async () => {
  server = await startAdversarialServer();
  otherServer = await startAdversarialServer();
});

afterAll(async () => {
  await server.close();
  await otherServer.close();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(overrides: Partial<FetchConfig> = {}, logger = silentLogger): HttpClient {
  const created = createHttpClient(
    {
    ...DEFAULT_FETCH_CONFIG,
    timeoutMs: 10_000,
    headersTimeoutMs: 5_000,
    maxBytes: MiB,
    allowPrivateHosts: [`127.0.0.1:${server.port}`],
    ...overrides,
    },
    logger,
  );
  clients.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<SecwireError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SecwireError);
    return error as SecwireError;
  }
  throw new Error('expected the fetch to fail');
}

function requestsTo(target: AdversarialServer, path: string): number {
  return target.stats.requests.filter((requested) => requested === path).length;
}

describe('createHttpClient: ordinary fetches', () => {
  it('fetches a feed with the User-Agent and a feed Accept header, and returns validators', async () => {
    const result = (await client().fetch(`${server.origin}/feed.xml`, { accept: 'feed' })) as FetchOk;
    expect(result.notModified).toBe(false);
    expect(result.body.toString('utf8')).toBe(FEED_XML);
    expect(result.etag).toBe(FEED_ETAG);
    expect(result.lastModified).toBe(FEED_LAST_MODIFIED);
    expect(result.contentType).toBe('application/rss+xml');
    expect(server.stats.lastHeaders['user-agent']).toBe(DEFAULT_FETCH_CONFIG.userAgent);
    expect(server.stats.lastHeaders['accept']).toContain('application/rss+xml');
  });

  it('decodes gzip, brotli and raw deflate bodies', async () => {
    const http = client();
    for (const path of ['/feed-gzip.xml', '/feed-br.xml', '/feed-deflate-raw.xml']) {
      const result = (await http.fetch(`${server.origin}${path}`, { accept: 'feed' })) as FetchOk;
      expect(result.body.toString('utf8')).toBe(FEED_XML);
    }
  });

  it('sends If-None-Match / If-Modified-Since and turns 304 into notModified', async () => {
    const result = await client().fetch(`${server.origin}/feed.xml`, { accept: 'feed', etag: FEED_ETAG, lastModified: FEED_LAST_MODIFIED });
    expect(result.notModified).toBe(true);
    expect(result.status).toBe(304);
    expect(server.stats.lastHeaders['if-none-match']).toBe(FEED_ETAG);
    expect(server.stats.lastHeaders['if-modified-since']).toBe(FEED_LAST_MODIFIED);
  });

  it('follows a redirect and reports the final URL', async () => {
    const target = `${server.origin}/feed.xml`;
    const result = await client().fetch(`${server.origin}/redirect?to=${encodeURIComponent(target)}`, { accept: 'feed' });
    expect(result.url).toBe(target);
  });
});

describe('createHttpClient: limits', () => {
  it('cuts a server that trickles bytes at the total timeout', async () => {
    const error = await failure(client({ timeoutMs: 600 }).fetch(`${server.origin}/trickle`, { accept: 'feed' }));
    expect(error.kind).toBe('Timeout');
  });

  it('does not count the wait for a free slot against the total timeout', async () => {
    const http = client({ perHostConcurrency: 1, timeoutMs: 1_000 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => http.fetch(`${server.origin}/slow?ms=150&q=${i}`, { accept: 'any' })));
    expect(results.map((result) => result.status)).toEqual(Array(10).fill(200));
  });

  it('cuts a server that never sends headers at the headers timeout', async () => {
    const error = await failure(client({ headersTimeoutMs: 300 }).fetch(`${server.origin}/no-headers`, { accept: 'feed' }));
    expect(error.kind).toBe('Timeout');
    expect(error.message).toContain('headers');
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = client().fetch(`${server.origin}/trickle`, { accept: 'feed', signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await failure(pending);
    expect(error.kind).toBe('Network');
    expect(error.details['cancelled']).toBe(true);
  });

  it('stops a gzip bomb while inflating: the decoded size hits the cap long before the wire size', async () => {
    server.stats.bombBytesSent = 0;
    const error = await failure(client().fetch(`${server.origin}/gzip-bomb`, { accept: 'feed' }));
    expect(error.kind).toBe('TooLarge');
    expect(error.details['stage']).toBe('decoded');
    // Zeros compress about 1000:1, so a check after inflating would have let far more than the cap through the wire.
    expect(server.stats.bombBytesSent).toBeLessThan(MiB);
  });

  it('stops an oversized body that has no Content-Length on the raw stream', async () => {
    const error = await failure(client().fetch(`${server.origin}/oversized-chunked`, { accept: 'feed' }));
    expect(error.kind).toBe('TooLarge');
    expect(error.details['stage']).toBe('raw');
  });

  it('caps the raw stream too: gzip padding that inflates to nothing is stopped on the wire', async () => {
    const error = await failure(client().fetch(`${server.origin}/gzip-padding`, { accept: 'feed' }));
    expect(error.kind).toBe('TooLarge');
    expect(error.details['stage']).toBe('raw');
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    const error = await failure(client().fetch(`${server.origin}/oversized-declared`, { accept: 'feed' }));
    expect(error.kind).toBe('TooLarge');
    expect(error.details['stage']).toBe('content-length');
  });

  it('detects a redirect loop', async () => {
    const error = await failure(client().fetch(`${server.origin}/loop-a`, { accept: 'feed' }));
    expect(error.kind).toBe('RedirectLoop');
  });

  it('stops after maxRedirects hops', async () => {
    const before = requestsTo(server, '/chain');
    const error = await failure(client({ maxRedirects: 3 }).fetch(`${server.origin}/chain?n=0`, { accept: 'feed' }));
    expect(error.kind).toBe('TooManyRedirects');
    expect(requestsTo(server, '/chain') - before).toBe(4);
  });

  it('never runs more than perHostConcurrency requests, nor opens more connections, against one host', async () => {
    const fresh = await startAdversarialServer();
    try {
      const http = client({ perHostConcurrency: 2, concurrency: 16, allowPrivateHosts: [`127.0.0.1:${fresh.port}`] });
      await Promise.all(Array.from({ length: 8 }, (_, i) => http.fetch(`${fresh.origin}/slow?ms=80&i=${i}`, { accept: 'any' })));
      expect(fresh.stats.maxInFlight).toBe(2);
      expect(fresh.stats.maxOpenConnections).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('waits perHostDelayMs between two requests to one host', async () => {
    const first = server.stats.arrivals.length;
    const http = client({ perHostConcurrency: 2, perHostDelayMs: 300 });
    await Promise.all(Array.from({ length: 4 }, (_, i) => http.fetch(`${server.origin}/slow?ms=1&i=${i}`, { accept: 'any' })));
    const arrivals = server.stats.arrivals.slice(first);
    expect(arrivals).toHaveLength(4);
    // A lower bound with room for event-loop jitter at arrival; without the delay the four arrive together.
    for (let i = 1; i < arrivals.length; i += 1) expect((arrivals[i] ?? 0) - (arrivals[i - 1] ?? 0)).toBeGreaterThanOrEqual(200);
  });

  it('never runs more than the global concurrency at once', async () => {
    server.stats.maxInFlight = 0;
    const http = client({ perHostConcurrency: 8, concurrency: 3 });
    await Promise.all(Array.from({ length: 9 }, (_, i) => http.fetch(`${server.origin}/slow?ms=80&i=${i}`, { accept: 'any' })));
    expect(server.stats.maxInFlight).toBe(3);
  });
});

describe('createHttpClient: HTTP errors', () => {
  it('maps 429 to Http4xx with the Retry-After seconds', async () => {
    const error = await failure(client().fetch(`${server.origin}/too-many-requests`, { accept: 'feed' }));
    expect(error.kind).toBe('Http4xx');
    expect(error.details['status']).toBe(429);
    expect(error.details['retryAfterMs']).toBe(120_000);
  });

  it('maps 503 to Http5xx with a Retry-After HTTP-date', async () => {
    const error = await failure(client().fetch(`${server.origin}/unavailable`, { accept: 'feed' }));
    expect(error.kind).toBe('Http5xx');
    expect(error.details['status']).toBe(503);
    expect(error.details['retryAfterMs']).toBeGreaterThan(3_500_000);
  });

  it('maps 500 and 404', async () => {
    const http = client();
    expect((await failure(http.fetch(`${server.origin}/server-error`, { accept: 'feed' }))).kind).toBe('Http5xx');
    expect((await failure(http.fetch(`${server.origin}/not-found`, { accept: 'feed' }))).kind).toBe('Http4xx');
  });

  it('reports an HTML page fetched as a feed as NotAFeed, with the feeds it links to', async () => {
    const error = await failure(client().fetch(`${server.origin}/page.html`, { accept: 'feed' }));
    expect(error.kind).toBe('NotAFeed');
    expect(error.details['suggestedFeeds']).toEqual([`${server.origin}/feed.xml`]);
  });

  it('accepts a real feed mislabelled text/html, and HTML fetched as a page', async () => {
    const http = client();
    expect((await http.fetch(`${server.origin}/feed-as-html.xml`, { accept: 'feed' })).status).toBe(200);
    expect((await http.fetch(`${server.origin}/page.html`, { accept: 'page' })).status).toBe(200);
  });

  it('maps a refused connection to Network and an unknown host to Dns', async () => {
    const closed = await startAdversarialServer();
    const port = closed.port;
    await closed.close();
    const http = client({ allowPrivateHosts: [`127.0.0.1:${port}`] });
    expect((await failure(http.fetch(`http://127.0.0.1:${port}/`, { accept: 'feed' }))).kind).toBe('Network');
    expect((await failure(http.fetch('http://no-such-host.invalid/', { accept: 'feed' }))).kind).toBe('Dns');
  });
});

describe('createHttpClient: address rules (SSRF)', () => {
  it('refuses the loopback server unless its host:port is allowed', async () => {
    const before = server.stats.requests.length;
    const error = await failure(client({ allowPrivateHosts: [] }).fetch(`${server.origin}/feed.xml`, { accept: 'feed' }));
    expect(error.kind).toBe('BlockedAddress');
    expect(error.message).toContain(`${server.origin}/feed.xml`);
    expect(server.stats.requests.length).toBe(before);
  });

  it('checks every redirect hop: a redirect to a second, unlisted loopback port never reaches it', async () => {
    const target = `${otherServer.origin}/feed.xml`;
    const error = await failure(client().fetch(`${server.origin}/redirect?to=${encodeURIComponent(target)}`, { accept: 'feed' }));
    expect(error.kind).toBe('BlockedAddress');
    expect(error.details['url']).toBe(target);
    expect(otherServer.stats.requests).toEqual([]);
  });

  it('refuses an article link to an unlisted port, fetched as a page', async () => {
    const error = await failure(client().fetch(`http://127.0.0.1:${otherServer.port}/article/1`, { accept: 'page' }));
    expect(error.kind).toBe('BlockedAddress');
    expect(otherServer.stats.requests).toEqual([]);
  });

  it('refuses the decimal spelling 2130706433 of 127.0.0.1', async () => {
    const error = await failure(client({ allowPrivateHosts: [] }).fetch(`http://2130706433:${otherServer.port}/`, { accept: 'feed' }));
    expect(error.kind).toBe('BlockedAddress');
    expect(otherServer.stats.requests).toEqual([]);
  });

  it('judges DNS answers, not only literals: localhost is refused unless localhost:port is listed', async () => {
    const url = `http://localhost:${otherServer.port}/feed.xml`;
    expect((await failure(client().fetch(url, { accept: 'feed' }))).kind).toBe('BlockedAddress');
    expect(otherServer.stats.requests).toEqual([]);
    const allowed = await client({ allowPrivateHosts: [`localhost:${otherServer.port}`] }).fetch(url, { accept: 'feed' });
    expect(allowed.status).toBe(200);
    otherServer.stats.requests.length = 0;
  });

  it('refuses IPv6 loopback [::1] unless listed', async () => {
    const v6 = await startAdversarialServer('::1');
    try {
      const url = `${v6.origin}/feed.xml`;
      expect((await failure(client().fetch(url, { accept: 'feed' }))).kind).toBe('BlockedAddress');
      expect((await failure(client().fetch(`http://[::ffff:127.0.0.1]:${v6.port}/`, { accept: 'feed' }))).kind).toBe('BlockedAddress');
      expect(v6.stats.requests).toEqual([]);
      expect((await client({ allowPrivateHosts: [`[::1]:${v6.port}`] }).fetch(url, { accept: 'feed' })).status).toBe(200);
    } finally {
      await v6.close();
    }
  });

  it('logs a blocked request as BlockedAddress with the URL', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const url = `http://127.0.0.1:${otherServer.port}/feed.xml`;
    await failure(client({}, pino({ level: 'warn' }, sink)).fetch(url, { accept: 'feed' }));
    const logged = lines.map((line) => JSON.parse(line) as { kind?: string; url?: string });
    expect(logged).toContainEqual(expect.objectContaining({ kind: 'BlockedAddress', url }));
  });

  it('keeps the rules through a proxy: the proxy is reached, unlisted private targets are not', async () => {
    const proxy = await startConnectProxy();
    try {
      const http = client({ proxy: `http://127.0.0.1:${proxy.port}` });
      const result = await http.fetch(`${server.origin}/feed.xml`, { accept: 'feed' });
      expect(result.status).toBe(200);
      expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
      const error = await failure(http.fetch(`http://127.0.0.1:${otherServer.port}/feed.xml`, { accept: 'feed' }));
      expect(error.kind).toBe('BlockedAddress');
      const viaDns = await failure(http.fetch(`http://localhost:${otherServer.port}/feed.xml`, { accept: 'feed' }));
      expect(viaDns.kind).toBe('BlockedAddress');
      expect(proxy.tunnels).toHaveLength(1);
      expect(otherServer.stats.requests).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('accepts a proxy URL with credentials and rejects one that is not a URL', () => {
    expect(() => client({ proxy: 'http://user:secret@127.0.0.1:3128' })).not.toThrow();
    expect(() => client({ proxy: 'proxy.example:3128' })).toThrow(/not an http\(s\) URL/);
  });

  it('refuses non-http schemes and credentials in URLs', async () => {
    const http = client();
    expect((await failure(http.fetch('file:///etc/passwd', { accept: 'feed' }))).kind).toBe('BadUrl');
    expect((await failure(http.fetch('ftp://example.test/feed', { accept: 'feed' }))).kind).toBe('BadUrl');
    const withCredentials = await failure(http.fetch(`http://user:secret@127.0.0.1:${server.port}/feed.xml`, { accept: 'feed' }));
    expect(withCredentials.kind).toBe('BadUrl');
    expect(withCredentials.message).not.toContain('secret');
    expect((await failure(http.fetch('not a url', { accept: 'feed' }))).kind).toBe('BadUrl');
  });
});
