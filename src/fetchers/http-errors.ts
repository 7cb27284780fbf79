import { SecwireError } from '../errors.js';

/** Retry-After in milliseconds from `now`: delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse reads "-5" or "2" as years: an HTTP-date always names its month.
  if (!/[a-z]{3}/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

export function httpStatusError(url: string, status: number, statusText: string, retryAfterHeader: string | null, now = new Date()): SecwireError {
  const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
  const kind = status >= 500 ? 'Http5xx' : 'Http4xx';
  const reason = statusText === '' ? '' : ` ${statusText}`;
  const retry = retryAfterMs === null ? '' : ` (the server asks to retry after ${Math.round(retryAfterMs / 1000)} s)`;
  // `retryAfter` and `retryAfterMs` carry the same milliseconds; the second name says the unit.
  return new SecwireError(kind, `${url} answered HTTP ${status}${reason}${retry}`, { url, status, retryAfter: retryAfterMs, retryAfterMs });
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL', 'ENODATA', 'ESERVFAIL']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('CERT_') ||
    code.includes('CERT') ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'EPROTO'
  );
}

/** The error itself, its causes and the members of AggregateErrors (happy eyeballs tries several addresses). */
function* errorChain(error: unknown, depth = 0): Generator<unknown> {
  if (error === null || error === undefined || depth > 8) return;
  yield error;
  if (error instanceof AggregateError) for (const inner of error.errors) yield* errorChain(inner, depth + 1);
  if (error instanceof Error && error.cause !== undefined) yield* errorChain(error.cause, depth + 1);
}

/** Maps whatever undici, net, tls or dns threw to one named kind with a message a user understands. */
export function mapNetworkError(error: unknown, url: string, timeoutMs: number): SecwireError {
  const chain = [...errorChain(error)];
  const secwire = chain.find((item): item is SecwireError => item instanceof SecwireError);
  if (secwire !== undefined) {
    if (secwire.kind === 'BlockedAddress') {
      const address = String(secwire.details['address'] ?? '');
      return new SecwireError(
        'BlockedAddress',
        `refused to fetch ${url}: it resolves to ${address}, a private, loopback or link-local address (allow its host:port in fetch.allowPrivateHosts)`,
        { url, address },
      );
    }
    return secwire;
  }
  const codes = chain.map((item) => String((item as { code?: unknown }).code ?? ''));
  const first = chain[0];
  const detail = first instanceof Error ? first.message : String(first);
  if (codes.some((code) => DNS_CODES.has(code))) {
    return new SecwireError('Dns', `could not resolve the host of ${url} (${detail})`, { url }, { cause: error });
  }
  if (codes.some(isTlsCode)) {
    return new SecwireError('Tls', `TLS failed for ${url}: ${detail}`, { url }, { cause: error });
  }
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT')) {
    return new SecwireError('Timeout', `${url} did not accept a connection in time`, { url }, { cause: error });
  }
  if (codes.includes('UND_ERR_HEADERS_TIMEOUT')) {
    return new SecwireError('Timeout', `${url} did not send response headers in time`, { url }, { cause: error });
  }
  if (codes.some((code) => TIMEOUT_CODES.has(code))) {
    return new SecwireError('Timeout', `${url} did not answer within ${timeoutMs} ms`, { url, timeoutMs }, { cause: error });
  }
  if (codes.includes('ECONNREFUSED')) {
    return new SecwireError('Network', `${url} refused the connection`, { url }, { cause: error });
  }
  return new SecwireError('Network', `could not fetch ${url}: ${detail}`, { url }, { cause: error });
}
