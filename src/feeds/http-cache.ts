/**
 * Serving a rendered body with HTTP caching: strong ETag, Last-Modified, 304s, gzip/brotli negotiated by
 * Accept-Encoding, HEAD. Compressed variants are made once per body and kept with it, so a cache hit costs
 * neither SQL nor compression.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

export interface CachedBody {
  body: Buffer;
  contentType: string;
  /** Strong validator of the identity body: a quoted content hash. */
  etag: string;
  lastModified: Date | null;
  maxAgeSeconds: number;
}

export type ContentCoding = 'br' | 'gzip' | 'identity';

/**
 * Brotli's default quality (11) takes about a second for a few megabytes of full-text feed; 5 compresses nearly
 * as well as gzip -9 at gzip speed.
 */
const BROTLI_QUALITY = 5;

const compressedVariants = new WeakMap<CachedBody, Map<ContentCoding, Buffer>>();

export function makeCachedBody(body: string | Buffer, contentType: string, lastModified: Date | null, maxAgeSeconds: number): CachedBody {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const hash = createHash('sha256').update(bytes).digest('base64url').slice(0, 32);
  // HTTP dates have whole seconds: keep the same precision so If-Modified-Since compares equal to what we sent.
  const lastModifiedSeconds = lastModified === null ? null : new Date(Math.floor(lastModified.getTime() / 1000) * 1000);
  return { body: bytes, contentType, etag: `"${hash}"`, lastModified: lastModifiedSeconds, maxAgeSeconds };
}

/** The bytes of `cached` in one coding, compressed at most once per CachedBody. */
export function encodedBody(cached: CachedBody, coding: ContentCoding): Buffer {
  if (coding === 'identity') return cached.body;
  let variants = compressedVariants.get(cached);
  if (variants === undefined) {
    variants = new Map();
    compressedVariants.set(cached, variants);
  }
  let encoded = variants.get(coding);
  if (encoded === undefined) {
    encoded =
      coding === 'br'
        ? brotliCompressSync(cached.body, {
            params: { [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: cached.body.length },
          })
        : gzipSync(cached.body);
    variants.set(coding, encoded);
  }
  return encoded;
}

/** True when `cached` already holds its compressed bytes for `coding` (tests and metrics). */
export function hasEncodedVariant(cached: CachedBody, coding: ContentCoding): boolean {
  return coding === 'identity' || compressedVariants.get(cached)?.has(coding) === true;
}

/** Accept-Encoding values seen recently and their coding: clients repeat the same few headers on every request. */
const negotiated = new Map<string, ContentCoding>();
const NEGOTIATED_KEPT = 64;

/**
 * The coding to answer with, from an Accept-Encoding header (RFC 9110 §12.5.3): highest q-value wins,
 * brotli before gzip on a tie, `*` covers codings not named, q=0 refuses. Identity when nothing better is accepted.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return 'identity';
  const known = negotiated.get(acceptEncoding);
  if (known !== undefined) return known;
  const coding = parseAcceptEncoding(acceptEncoding);
  if (negotiated.size >= NEGOTIATED_KEPT) negotiated.clear();
  negotiated.set(acceptEncoding, coding);
  return coding;
}

function parseAcceptEncoding(acceptEncoding: string): ContentCoding {
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match?.[1] !== undefined) q = Number(match[1]);
    }
    weights.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(q) ? q : 0);
  }
  const weightOf = (coding: string): number => weights.get(coding) ?? weights.get('*') ?? 0;
  const brotli = weightOf('br');
  const gzip = weightOf('gzip');
  if (brotli > 0 && brotli >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}

/** The ETag sent for one coding: a different representation needs a different strong validator. */
function etagFor(cached: CachedBody, coding: ContentCoding): string {
  return coding === 'identity' ? cached.etag : `${cached.etag.slice(0, -1)}-${coding}"`;
}

/** The validators and headers of one body, computed once per body instead of once per request. */
interface Validators {
  etags: Set<string>;
  lastModifiedMs: number | null;
  /** The headers of a 304 (and the start of a 200) per coding. */
  headers: Record<ContentCoding, Record<string, string>>;
}

const validatorsOf = new WeakMap<CachedBody, Validators>();

function validators(cached: CachedBody): Validators {
  let found = validatorsOf.get(cached);
  if (found !== undefined) return found;
  const lastModified = cached.lastModified === null ? null : cached.lastModified.toUTCString();
  const headersFor = (coding: ContentCoding): Record<string, string> => {
    const headers: Record<string, string> = { ETag: etagFor(cached, coding), 'Cache-Control': `public, max-age=${cached.maxAgeSeconds}`, Vary: 'Accept-Encoding' };
    if (lastModified !== null) headers['Last-Modified'] = lastModified;
    return headers;
  };
  found = {
    etags: new Set<string>([cached.etag, etagFor(cached, 'gzip'), etagFor(cached, 'br')]),
    lastModifiedMs: cached.lastModified === null ? null : cached.lastModified.getTime(),
    headers: { identity: headersFor('identity'), gzip: headersFor('gzip'), br: headersFor('br') },
  };
  validatorsOf.set(cached, found);
  return found;
}

/** If-None-Match (RFC 9110 §13.1.2) uses weak comparison: W/ is ignored; any coding's tag of this body matches. */
function noneMatchHits(header: string, ours: Set<string>): boolean {
  if (ours.has(header)) return true;
  return header.split(',').some((raw) => {
    const tag = raw.trim();
    return tag === '*' || ours.has(tag.replace(/^W\//, ''));
  });
}

function notModifiedSince(header: string, lastModifiedMs: number | null): boolean {
  if (lastModifiedMs === null) return false;
  const since = Date.parse(header);
  return !Number.isNaN(since) && lastModifiedMs <= since;
}

/** Answers a GET or HEAD with `cached`: 304 when the client's copy is current, else the body in the best coding. */
export function sendCached(req: IncomingMessage, res: ServerResponse, cached: CachedBody): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed\n');
    return;
  }
  const coding = negotiateEncoding(req.headers['accept-encoding']);
  const known = validators(cached);
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = req.headers['if-modified-since'];
  // When both are sent, If-None-Match decides alone (RFC 9110 §13.2.2).
  const fresh = ifNoneMatch !== undefined ? noneMatchHits(ifNoneMatch, known.etags) : ifModifiedSince !== undefined && notModifiedSince(ifModifiedSince, known.lastModifiedMs);
  if (fresh) {
    res.writeHead(304, known.headers[coding]);
    res.end();
    return;
  }

  const body = encodedBody(cached, coding);
  const headers: Record<string, string> = { ...known.headers[coding], 'Content-Type': cached.contentType, 'Content-Length': String(body.length) };
  if (coding !== 'identity') headers['Content-Encoding'] = coding;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
