/**
 * The canonical form of an article URL, used as its identity across feeds: two links that a reader would
 * consider the same page map to the same string. WHATWG URL already lower-cases scheme and host, drops
 * default ports and normalises IP spellings and percent-encoding; on top of that we drop fragments,
 * tracking parameters, a trailing slash and sort the remaining query parameters.
 */

const TRACKING_PARAMETERS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  '_hsenc',
  '_hsmi',
  'hsctatracking',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'wickedid',
  'rb_clickid',
  's_cid',
  'ncid',
  'sr_share',
  'ref_src',
  'ref_url',
  'cmpid',
  'ito',
  'ftag',
  'taid',
  'guccounter',
  'guce_referrer',
  'guce_referrer_sig',
  'spm',
]);

const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'matomo_', 'at_', '__s', 'hsa_'];

export function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMETERS.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** Query parameters that ask for the AMP, print or mobile rendering of the same article. */
const VARIANT_PARAMETERS = new Set(['amp', 'outputtype', 'output', 'print', 'printable', 'view', 'mobile', 'm']);
const VARIANT_VALUES = new Set(['', '1', 'true', 'amp', 'print', 'printable', 'mobile']);
/** Path endings of AMP and print renderings (`/story/amp`, `/story/amp.html`, `/story/print/`). */
const VARIANT_PATH = /\/(amp|print|amp\.html)\/?$/i;
/** Host prefixes of AMP and mobile editions (`m.example.com`, `amp.example.com`). */
const VARIANT_HOST = /^(m|mobile|amp)\./i;

function isVariantParameter(name: string, value: string): boolean {
  return VARIANT_PARAMETERS.has(name.toLowerCase()) && VARIANT_VALUES.has(value.toLowerCase());
}

/** Returns the canonical URL, or null when the input is not an absolute http(s) URL. Idempotent. */
export function canonicalizeUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  // The AMP, print and mobile renderings of an article are the article.
  if (VARIANT_HOST.test(url.hostname) && url.hostname.split('.').length > 2) url.hostname = url.hostname.replace(VARIANT_HOST, '');
  if (url.pathname.length > 1 && VARIANT_PATH.test(url.pathname)) url.pathname = url.pathname.replace(VARIANT_PATH, '') || '/';
  const kept = [...url.searchParams].filter(([name, value]) => !isTrackingParameter(name) && !isVariantParameter(name, value));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  url.search = kept.length ? new URLSearchParams(kept).toString() : '';
  if (url.pathname.length > 1 && url.pathname.endsWith('/')) url.pathname = url.pathname.replace(/\/+$/, '') || '/';
  // Scheme is part of identity for the browser, not for a news article: http and https copies are one page.
  const text = url.toString().replace(/^http:/, 'https:');
  return text.endsWith('/') && url.pathname === '/' && !url.search ? text.slice(0, -1) : text;
}

/**
 * Host and path without the query: the identity to fall back on when a publisher churns GUIDs or appends a
 * cache-busting query on every fetch (used together with the title, never alone). Null for non-http(s) input.
 */
export function pathIdentity(canonicalUrl: string): string | null {
  try {
    const url = new URL(canonicalUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.hostname}${url.pathname}`;
  } catch {
    return null;
  }
}
