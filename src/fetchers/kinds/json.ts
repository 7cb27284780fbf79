/**
 * `kind: json`: an advisory list served as JSON (CISA KEV and the like), turned into items by a mapping:
 * `items` is a dotted path to the array; every other field is a dotted path into one entry or a template
 * with `{path}` placeholders.
 */
import { SecwireError } from '../../errors.js';
import { slugify } from '../../tagging/slug.js';
import type { FeedItem, JsonMappingConfig } from '../../types.js';
import { collapseSpace, listingDate, newItem, resolveHttpUrl } from './common.js';

/** Tag types whose values are identifiers kept as written; the others are names made into slugs. */
const ID_TAG_TYPES = new Set(['cve', 'kev', 'technique', 'source']);

export interface JsonListing {
  title: string | null;
  items: FeedItem[];
}

export function parseJsonListing(text: string, url: string, mapping: JsonMappingConfig, now: Date): JsonListing {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (thrown) {
    throw new SecwireError('ParseError', `${url} is not valid JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { url });
  }
  const entries = valueAt(document, mapping.items);
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SecwireError('MappingError', `json.items path "${mapping.items}" is not a non-empty array in ${url}`, { key: 'items', path: mapping.items, url });
  }
  const items: FeedItem[] = [];
  for (const entry of entries) {
    const title = collapseSpace(field(entry, mapping.title));
    if (!title) continue;
    const id = mapping.id ? field(entry, mapping.id) || null : null;
    const summary = mapping.summary ? collapseSpace(field(entry, mapping.summary)) : '';
    items.push(
      newItem({
        id,
        title,
        link: resolveHttpUrl(field(entry, mapping.link), url),
        published: mapping.date ? listingDate(field(entry, mapping.date), now) : null,
        summary: summary || null,
        tags: mapping.tags.map((template) => tagSlug(field(entry, template))).filter((slug): slug is string => slug !== null),
      }),
    );
  }
  if (items.length === 0) throw new SecwireError('MappingError', `json.title "${mapping.title}" is empty for every entry in ${url}`, { key: 'title', path: mapping.title, url });
  const title = typeof document === 'object' && document !== null && 'title' in document ? String(document.title) : null;
  return { title, items };
}

/** `a.b.0.c` into nested objects and arrays; an empty path is the document itself. */
export function valueAt(value: unknown, path: string): unknown {
  if (path === '' || path === '.') return value;
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * A path, or a template when it holds `{path}` placeholders; missing values read as empty, and a template
 * whose placeholders are all empty is empty (no "." summary from "{name}. {description}").
 */
export function field(entry: unknown, spec: string): string {
  if (!spec.includes('{')) return scalar(valueAt(entry, spec));
  let filled = false;
  const text = spec.replace(/\{([^{}]*)\}/g, (_, path: string) => {
    const value = scalar(valueAt(entry, path.trim()));
    if (value) filled = true;
    return value;
  });
  return filled ? text : '';
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** "vendor:Palo Alto Networks" -> "vendor:palo-alto-networks", the shape the tagger's own data uses. */
function tagSlug(rendered: string): string | null {
  const colon = rendered.indexOf(':');
  if (colon <= 0) return null;
  const type = rendered.slice(0, colon).trim().toLowerCase();
  const raw = rendered.slice(colon + 1).trim();
  const value = ID_TAG_TYPES.has(type) ? raw : slugify(raw);
  return value ? `${type}:${value}` : null;
}
