/**
 * Indicators of compromise, defang-aware (`hxxp`, `[.]`, `(.)`, `[at]`). They are article data, not tags.
 * A plain link or domain in a news story is a reference, not an indicator: URLs and domains count only when
 * the writer defanged them. Hashes, IP addresses and e-mail addresses count as written.
 */
import { isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';
import type { Ioc } from '../types.js';

const DEFANG_MARK = /hxxps?|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[:\]|\[@\]|\[at\]|\(at\)/i;

function refang(text: string): string {
  return text
    .replace(/\bhxxp(s?)/gi, 'http$1')
    .replace(/\bfxp\b/gi, 'ftp')
    .replace(/\s?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))\s?/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\s?(?:\[@\]|\[at\]|\(at\))\s?/gi, '@');
}

const URL_PATTERN = /\b(?:https?|ftp):\/\/[^\s<>"'\])]+/gi;
const DOMAIN_PATTERN = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b/gi;
const EMAIL_PATTERN = /\b[a-z0-9._%+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,24}\b/gi;
const IPV4_PATTERN = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6_PATTERN = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
// One run of hex digits, its length checked after: an alternation of three lengths retried at every word.
const HASH_PATTERN = /\b[a-f0-9]{32,64}\b/gi;
const HASH_TYPES: Record<number, Ioc['type']> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** Anything refang() would change; most articles have none, and then the text is used as it is. */
const REFANG_MARK = /hxxp|\bfxp\b|\[(?:\.|dot|:|@|at)\]|\((?:\.|dot|at)\)|\{\.\}/i;

/** The whitespace-separated words that carry a defang mark, refanged: only they can be URL or domain IoCs. */
function defangedWords(text: string): string {
  if (!DEFANG_MARK.test(text)) return '';
  return text
    .split(/\s+/)
    .filter((word) => DEFANG_MARK.test(word))
    .map(refang)
    .join('\n');
}

/** Length of the shortest hash found (MD5, 32 hex digits). */
export const SHORTEST_HASH = 32;

/**
 * `longWords: false` tells that no word of the text (run of letters and digits) is SHORTEST_HASH long,
 * so no hash can be there and the scan for them is skipped.
 */
export function findIocs(text: string, options: { longWords?: boolean } = {}): Ioc[] {
  const found = new Map<string, Ioc>();
  const add = (type: Ioc['type'], value: string): void => {
    const key = `${type}:${value}`;
    if (!found.has(key)) found.set(key, { type, value });
  };
  // One scan decides for most articles: no mark, nothing to refang and no defanged word.
  const marked = REFANG_MARK.test(text);
  const defanged = marked ? defangedWords(text) : '';
  if (defanged !== '') {
    for (const url of defanged.match(URL_PATTERN) ?? []) add('url', url.replace(/[.,;:!?]+$/, ''));
    const withoutUrls = defanged.replace(URL_PATTERN, ' ').replace(EMAIL_PATTERN, ' ');
    for (const domain of withoutUrls.match(DOMAIN_PATTERN) ?? []) {
      const parsed = parseDomain(domain);
      if (parsed.isIcann && parsed.domain && !/^(?:\d+\.)+\d+$/.test(domain)) add('domain', domain.toLowerCase());
    }
  }
  const plain = marked ? refang(text) : text;
  // The e-mail pattern is costly at every word; without an "@" it cannot match.
  if (plain.includes('@')) for (const email of plain.match(EMAIL_PATTERN) ?? []) add('email', email.toLowerCase());
  for (const ip of plain.match(IPV4_PATTERN) ?? []) if (isIP(ip) === 4) add('ipv4', ip);
  // Most articles have no IPv6 address: skip the costly scan unless a colon run could be one.
  if (plain.includes(':') && /[0-9a-f]:[0-9a-f]*:/i.test(plain)) {
    for (const ip of plain.match(IPV6_PATTERN) ?? []) if ((ip.includes('::') || ip.split(':').length >= 8) && isIP(ip) === 6) add('ipv6', ip.toLowerCase());
  }
  if (options.longWords === false) return [...found.values()];
  for (const hash of plain.match(HASH_PATTERN) ?? []) {
    const type = HASH_TYPES[hash.length];
    if (type && /[a-f]/i.test(hash) && /\d/.test(hash)) add(type, hash.toLowerCase());
  }
  return [...found.values()];
}
