import { describe, expect, it } from 'vitest';
import { SecwireError } from '../errors.js';
import { httpStatusError, mapNetworkError, parseRetryAfter } from './http-errors.js';

const url = 'https://news.example.test/feed';
const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 13:00:00 GMT', now)).toBe(3_600_000);
    expect(parseRetryAfter('Mon, 30 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});

describe('httpStatusError', () => {
  it('names 4xx and 5xx with status and Retry-After', () => {
    const error = httpStatusError(url, 429, 'Too Many Requests', '30');
    expect(error.kind).toBe('Http4xx');
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 30_000, retryAfter: 30_000, url });
    expect(error.message).toContain('HTTP 429');
    expect(httpStatusError(url, 502, '', null).kind).toBe('Http5xx');
  });
});

describe('mapNetworkError', () => {
  it.each([
    [withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND news.example.test'), 'Dns'],
    [withCode('EAI_AGAIN'), 'Dns'],
    [withCode('CERT_HAS_EXPIRED', 'certificate has expired'), 'Tls'],
    [withCode('DEPTH_ZERO_SELF_SIGNED_CERT'), 'Tls'],
    [withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'Tls'],
    [withCode('UND_ERR_CONNECT_TIMEOUT'), 'Timeout'],
    [withCode('UND_ERR_HEADERS_TIMEOUT'), 'Timeout'],
    [withCode('ECONNREFUSED'), 'Network'],
    [withCode('ECONNRESET'), 'Network'],
    [new AggregateError([withCode('ECONNREFUSED'), withCode('ENETUNREACH')]), 'Network'],
    [new Error('fetch failed', { cause: withCode('ENOTFOUND') }), 'Dns'],
  ])('maps %s to %s', (error, kind) => {
    const mapped = mapNetworkError(error, url, 20_000);
    expect(mapped.kind).toBe(kind);
    expect(mapped.message).toContain(url);
  });

  it('keeps a SecwireError from deep inside, naming the URL for BlockedAddress', () => {
    const blocked = new SecwireError('BlockedAddress', 'refused', { url: 'news.example.test', address: '10.0.0.1' });
    const mapped = mapNetworkError(new Error('connect failed', { cause: blocked }), url, 20_000);
    expect(mapped.kind).toBe('BlockedAddress');
    expect(mapped.details).toEqual({ url, address: '10.0.0.1' });
  });
});
