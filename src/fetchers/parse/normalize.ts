/** Normalisation shared by the RSS, Atom and JSON Feed readers. */
import { decodeHTML } from 'entities';
import type { Enclosure } from '../../types.js';

const TAG = /<!--[\s\S]*?-->|<\/?[a-z][a-z0-9:-]*(?:\s[^<>]*)?\/?>/gi;

export function collapseWhitespace(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * A title as plain text. `html` titles (RSS, where publishers escape markup and entities into titles,
 * and Atom type="html"/"xhtml") lose their tags and have their entities decoded once; `text` titles are
 * taken as they are, since the XML reader already decoded them.
 */
export function cleanTitle(raw: string | null, kind: 'html' | 'text'): string {
  if (raw === null) return '';
  const plain = kind === 'html' ? decodeHTML(raw.replace(TAG, ' ')) : raw;
  return collapseWhitespace(plain);
}

/** Trimmed text, or null when there is nothing. */
export function nonEmpty(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * A person as a display name: "jane@example.com (Jane Doe)" (RSS <author>) and "Jane Doe <jane@example.com>"
 * give "Jane Doe"; a bare address stays an address, since it is all there is.
 */
export function authorName(raw: string | null | undefined): string | null {
  const value = nonEmpty(raw);
  if (value === null) return null;
  const parenthesised = /^\S+@\S+\s*\((.+)\)$/.exec(value);
  if (parenthesised?.[1]) return collapseWhitespace(parenthesised[1]);
  const angled = /^(.+?)\s*<[^<>@\s]+@[^<>\s]+>$/.exec(value);
  if (angled?.[1]) return collapseWhitespace(angled[1].replace(/^"(.*)"$/, '$1'));
  return collapseWhitespace(value.replace(/^mailto:/i, ''));
}

export function uniqueNonEmpty(values: ReadonlyArray<string | null | undefined>): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const trimmed = nonEmpty(value);
    if (trimmed !== null) seen.add(collapseWhitespace(trimmed));
  }
  return [...seen];
}

/** An absolute URL from a possibly relative reference, or null when it cannot be made absolute. */
export function resolveUrl(reference: string | null | undefined, base: string | null): string | null {
  const value = nonEmpty(reference);
  if (value === null) return null;
  try {
    return base === null ? new URL(value).href : new URL(value, base).href;
  } catch {
    return null;
  }
}

/** Like resolveUrl, keeping only http(s): a `javascript:` or `data:` link is no link. */
export function resolveHttpUrl(reference: string | null | undefined, base: string | null): string | null {
  const url = resolveUrl(reference, base);
  return url !== null && /^https?:/i.test(url) ? url : null;
}

export function uniqueEnclosures(enclosures: readonly Enclosure[]): Enclosure[] {
  const byUrl = new Map<string, Enclosure>();
  for (const enclosure of enclosures) {
    if (!byUrl.has(enclosure.url)) byUrl.set(enclosure.url, enclosure);
  }
  return [...byUrl.values()];
}

export function parseLength(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isFinite(number) && number >= 0 && String(value).trim() !== '' ? Math.round(number) : null;
}

const MINUTES_PER_PERIOD: Readonly<Record<string, number>> = {
  hourly: 60,
  daily: 24 * 60,
  weekly: 7 * 24 * 60,
  monthly: 30 * 24 * 60,
  yearly: 365 * 24 * 60,
};

/** RSS <ttl> (minutes) wins; else the syndication module's period divided by its frequency. */
export function ttlMinutes(ttl: string | null, updatePeriod: string | null, updateFrequency: string | null): number | null {
  const fromTtl = ttl !== null ? parseLength(ttl) : null;
  if (fromTtl !== null && fromTtl > 0) return fromTtl;
  if (updatePeriod === null) return null;
  const period = MINUTES_PER_PERIOD[updatePeriod.trim().toLowerCase()];
  if (period === undefined) return null;
  const frequency = updateFrequency !== null ? parseLength(updateFrequency) : 1;
  if (frequency === null || frequency < 1) return null;
  return Math.max(1, Math.round(period / frequency));
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
