import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../../test/support/feed-clients.js';
import { encodedBody, hasEncodedVariant, makeCachedBody, negotiateEncoding, sendCached } from './http-cache.js';

const LAST_MODIFIED = new Date('2026-03-04T05:06:07.890Z');
// Big and repetitive enough that compression matters.
const BODY = `<?xml version="1.0"?><feed>${'<entry><title>Café &amp; 日本</title></entry>'.repeat(500)}</feed>`;
const cached = makeCachedBody(BODY, 'application/atom+xml; charset=utf-8', LAST_MODIFIED, 900);

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** node:http rather than fetch: fetch would decode the body and hide what the server sent. */
function rawRequest(url: string, method: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let server: LoopbackServer;
let url: string;

beforeAll(async () => {
  server = await startLoopbackServer((req, res) => sendCached(req, res, cached));
  url = `${server.url}/feeds/all.atom`;
});

afterAll(async () => {
  await server.close();
});

describe('makeCachedBody', () => {
  it('has a strong, quoted content-hash ETag that only changes with the bytes', () => {
    expect(cached.etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(makeCachedBody(BODY, 'x', null, 1).etag).toBe(cached.etag);
    expect(makeCachedBody(`${BODY} `, 'x', null, 1).etag).not.toBe(cached.etag);
    expect(makeCachedBody(Buffer.from(BODY), 'x', null, 1).etag).toBe(cached.etag);
  });

  it('keeps Last-Modified to whole seconds, as HTTP dates carry it', () => {
    expect(cached.lastModified?.toISOString()).toBe('2026-03-04T05:06:07.000Z');
  });
});

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0.8, br;q=0.9', 'br'],
    ['BR;Q=1, GZIP;Q=1', 'br'],
    ['br;q=0, *', 'gzip'],
    ['*', 'br'],
    ['*;q=0', 'identity'],
    ['x-gzip', 'gzip'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['br;q=0, gzip;q=0', 'identity'],
  ] as const)('%s -> %s', (header, coding) => {
    expect(negotiateEncoding(header)).toBe(coding);
  });
});

describe('sendCached over loopback', () => {
  it('200 with validators, Cache-Control, Vary and the body', async () => {
    const res = await rawRequest(url, 'GET');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(cached.etag);
    expect(res.headers['last-modified']).toBe('Wed, 04 Mar 2026 05:06:07 GMT');
    expect(res.headers['cache-control']).toBe('public, max-age=900');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(cached.body.length));
    expect(res.body.equals(cached.body)).toBe(true);
  });

  it.each([
    ['the exact ETag', cached.etag],
    ['a list containing it', `"nope", ${cached.etag}, "other"`],
    ['the weak form', `W/${cached.etag}`],
    ['*', '*'],
    ['the gzip variant ETag', `${cached.etag.slice(0, -1)}-gzip"`],
  ])('304 on If-None-Match with %s, no body', async (_label, ifNoneMatch) => {
    const res = await rawRequest(url, 'GET', { 'If-None-Match': ifNoneMatch });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers.etag).toBe(cached.etag);
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['cache-control']).toBe('public, max-age=900');
  });

  it('200 on a non-matching If-None-Match, even with a matching If-Modified-Since', async () => {
    const res = await rawRequest(url, 'GET', { 'If-None-Match': '"stale"', 'If-Modified-Since': 'Wed, 04 Mar 2026 05:06:07 GMT' });
    expect(res.status).toBe(200);
    expect(res.body.equals(cached.body)).toBe(true);
  });

  it('304 on If-Modified-Since at or after Last-Modified, 200 before it, 200 on garbage', async () => {
    expect((await rawRequest(url, 'GET', { 'If-Modified-Since': 'Wed, 04 Mar 2026 05:06:07 GMT' })).status).toBe(304);
    expect((await rawRequest(url, 'GET', { 'If-Modified-Since': 'Thu, 05 Mar 2026 00:00:00 GMT' })).status).toBe(304);
    expect((await rawRequest(url, 'GET', { 'If-Modified-Since': 'Wed, 04 Mar 2026 05:06:06 GMT' })).status).toBe(200);
    expect((await rawRequest(url, 'GET', { 'If-Modified-Since': 'yesterday-ish' })).status).toBe(200);
  });

  it('gzip decodes to the same bytes, with its own ETag', async () => {
    const res = await rawRequest(url, 'GET', { 'Accept-Encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers.etag).not.toBe(cached.etag);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(cached.body.length / 5);
    expect(gunzipSync(res.body).equals(cached.body)).toBe(true);
  });

  it('br decodes to the same bytes', async () => {
    const res = await rawRequest(url, 'GET', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.body).equals(cached.body)).toBe(true);
  });

  it('compresses once per body: later hits reuse the memoised variant', async () => {
    const fresh = makeCachedBody(`${BODY}<!-- fresh -->`, 'text/xml', null, 60);
    expect(hasEncodedVariant(fresh, 'br')).toBe(false);
    const first = encodedBody(fresh, 'br');
    expect(hasEncodedVariant(fresh, 'br')).toBe(true);
    expect(hasEncodedVariant(fresh, 'gzip')).toBe(false);
    expect(encodedBody(fresh, 'br')).toBe(first);
    expect(hasEncodedVariant(cached, 'gzip')).toBe(true);
  });

  it('HEAD answers the headers of GET and no body', async () => {
    const res = await rawRequest(url, 'HEAD', { 'Accept-Encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-length']).toBe(String(encodedBody(cached, 'gzip').length));
    expect(res.headers.etag).toBeDefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
  });

  it('HEAD with a matching validator is a 304 too', async () => {
    expect((await rawRequest(url, 'HEAD', { 'If-None-Match': cached.etag })).status).toBe(304);
  });

  it('other methods get 405 with Allow', async () => {
    const res = await rawRequest(url, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('no Last-Modified header when the body has no date', async () => {
    const undated = makeCachedBody('{}', 'application/feed+json; charset=utf-8', null, 60);
    const other = await startLoopbackServer((req, res) => sendCached(req, res, undated));
    try {
      const res = await rawRequest(other.url, 'GET', { 'If-Modified-Since': 'Thu, 05 Mar 2026 00:00:00 GMT' });
      expect(res.status).toBe(200);
      expect(res.headers['last-modified']).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
