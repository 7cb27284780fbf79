import { TAG_TYPES, type TagType } from '../types.js';

const TAG_TYPE_SET: ReadonlySet<string> = new Set(TAG_TYPES);

/** Types whose values are identifiers that keep their upper case (CVE-2021-44228, T1059.001). */
const UPPER_CASE_TYPES: ReadonlySet<TagType> = new Set(['cve', 'kev', 'technique']);

/** A display name turned into a tag value: "Palo Alto Networks" -> "palo-alto-networks". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function isTagType(value: string): value is TagType {
  return TAG_TYPE_SET.has(value);
}

/** `actor:APT29` -> `{type: 'actor', value: 'apt29'}`; null when the type is unknown or the value empty. */
export function parseTagSlug(slug: string): { type: TagType; value: string } | null {
  const colon = slug.indexOf(':');
  if (colon <= 0) return null;
  const type = slug.slice(0, colon).trim().toLowerCase();
  const rawValue = slug.slice(colon + 1).trim();
  if (!isTagType(type) || rawValue === '') return null;
  return { type, value: normaliseTagValue(type, rawValue) };
}

function normaliseTagValue(type: TagType, value: string): string {
  if (UPPER_CASE_TYPES.has(type)) return value.toUpperCase();
  return value.toLowerCase();
}

/** The canonical spelling of a slug (lower-case value except CVE and ATT&CK IDs); unknown types are only trimmed. */
export function normaliseTagSlug(slug: string): string {
  const parsed = parseTagSlug(slug);
  return parsed ? `${parsed.type}:${parsed.value}` : slug.trim();
}

const TYPE_LABELS: Record<TagType, string> = {
  cve: 'CVE',
  kev: 'Known exploited',
  vendor: 'Vendor',
  product: 'Product',
  actor: 'Threat actor',
  malware: 'Malware',
  technique: 'ATT&CK technique',
  incident: 'Incident',
  sector: 'Sector',
  country: 'Country',
  source: 'Source',
};

/** A readable label for a tag whose display name is not at hand: "Threat actor: apt29". */
export function tagLabel(type: TagType, value: string): string {
  return `${TYPE_LABELS[type]}: ${value}`;
}
