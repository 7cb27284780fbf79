/**
 * The search language analysts type, parsed into a structure that is compiled to FTS5 and SQL separately.
 * User text never reaches FTS5 raw: every word and phrase is re-quoted, so FTS5 operators (NEAR, column
 * filters, parentheses, ^, +) typed by a user are only words.
 *
 *   ivanti zero-day since:2024-01-01          words (AND), a date bound
 *   "connect secure" OR pulse -phishing       phrase, OR, exclusion
 *   tag:actor:apt29 -tag:incident:phishing    tag filters; short forms cve:, actor:, vendor:, ...
 *   source:bleepingcomputer until:7d sort:date
 */
import { SecwireError } from '../errors.js';
import { TAG_TYPES, type TagType } from '../types.js';

export interface SearchTerm {
  text: string;
  phrase: boolean;
  prefix: boolean;
}

/** Terms joined by OR; a query is an AND of groups. */
export type TermGroup = SearchTerm[];

export interface ParsedQuery {
  groups: TermGroup[];
  excluded: SearchTerm[];
  tags: string[];
  excludedTags: string[];
  sources: string[];
  since: string | null;
  until: string | null;
  sort: 'date' | 'relevance' | null;
}

export interface QueryLimits {
  maxLength: number;
  maxTerms: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxLength: 2000, maxTerms: 64 };

const TAG_SHORT_FORMS = new Set<string>(TAG_TYPES);
const UPPER_CASE_TAG_TYPES = new Set<TagType>(['cve', 'kev', 'technique']);

export function emptyQuery(): ParsedQuery {
  return { groups: [], excluded: [], tags: [], excludedTags: [], sources: [], since: null, until: null, sort: null };
}

interface Token {
  raw: string;
  negated: boolean;
  quoted: boolean;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i += 1;
    if (i >= input.length) break;
    let negated = false;
    if (input[i] === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!)) {
      negated = true;
      i += 1;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const stop = end === -1 ? input.length : end;
      tokens.push({ raw: input.slice(i + 1, stop), negated, quoted: true });
      i = stop + 1;
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j]!)) {
      // A quote inside a field value (source:"a b") starts a quoted value.
      if (input[j] === '"') {
        const end = input.indexOf('"', j + 1);
        j = end === -1 ? input.length : end + 1;
      } else j += 1;
    }
    tokens.push({ raw: input.slice(i, j), negated, quoted: false });
    i = j;
  }
  return tokens;
}

/** FTS5's unicode61 tokenizer splits on anything that is not a letter or digit; we do the same for words. */
function words(text: string): string[] {
  return text.split(/[^\p{L}\p{N}_]+/u).filter(Boolean);
}

export function parseRelativeOrAbsoluteDate(field: string, value: string, now: Date): string {
  const relative = /^(\d+)([hdwmy])$/i.exec(value);
  if (relative) {
    const amount = Number(relative[1]);
    const unitMs = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, m: 30 * 86_400_000, y: 365 * 86_400_000 }[relative[2]!.toLowerCase() as 'h' | 'd' | 'w' | 'm' | 'y'];
    return new Date(now.getTime() - amount * unitMs).toISOString();
  }
  if (/^\d{4}(-\d{2}(-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$/.test(value)) {
    const normalised = /^\d{4}$/.test(value) ? `${value}-01-01` : /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value;
    const ms = Date.parse(normalised.length === 10 ? `${normalised}T00:00:00Z` : normalised);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  throw new SecwireError('QueryError', `${field}: "${value}" is not a date (use 2024-01-31, 2024-01, 2024, or 7d / 12h / 2w / 6m / 1y)`);
}

export function normaliseTagFilter(type: string, value: string): string {
  const lowerType = type.toLowerCase();
  if (!TAG_SHORT_FORMS.has(lowerType)) throw new SecwireError('QueryError', `unknown tag type "${type}" (one of ${TAG_TYPES.join(', ')})`);
  if (!value) throw new SecwireError('QueryError', `tag ${lowerType}: needs a value, e.g. ${lowerType}:${lowerType === 'cve' ? 'CVE-2024-3400' : 'example'}`);
  return `${lowerType}:${UPPER_CASE_TAG_TYPES.has(lowerType as TagType) ? value.toUpperCase() : value.toLowerCase()}`;
}

/** Parses a user query. Throws QueryError with a message naming what is wrong. */
export function parseQuery(input: string, options: { now?: Date; limits?: QueryLimits } = {}): ParsedQuery {
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const now = options.now ?? new Date();
  if (input.length > limits.maxLength) throw new SecwireError('QueryError', `query is ${input.length} characters long; the limit is ${limits.maxLength}`);
  // NUL and other control characters have no place in a query and confuse terminals and logs.
  const cleaned = input.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const query = emptyQuery();
  let pendingOr = false;
  let termCount = 0;
  const addTerms = (terms: SearchTerm[], negated: boolean): void => {
    if (terms.length === 0) return;
    termCount += terms.length;
    if (termCount > limits.maxTerms) throw new SecwireError('QueryError', `query has more than ${limits.maxTerms} terms`);
    if (negated) {
      query.excluded.push(...terms);
      pendingOr = false;
      return;
    }
    const [first, ...rest] = terms;
    const last = query.groups[query.groups.length - 1];
    if (pendingOr && last) last.push(first!);
    else query.groups.push([first!]);
    for (const term of rest) query.groups.push([term]);
    pendingOr = false;
  };

  for (const token of tokenize(cleaned)) {
    if (token.quoted) {
      const phraseWords = words(token.raw);
      if (phraseWords.length) addTerms([{ text: phraseWords.join(' '), phrase: phraseWords.length > 1, prefix: false }], token.negated);
      continue;
    }
    if (token.raw === 'OR' && !token.negated) {
      if (query.groups.length === 0) throw new SecwireError('QueryError', 'OR needs a word before it');
      pendingOr = true;
      continue;
    }
    const field = /^([a-zA-Z]+):(.*)$/.exec(token.raw);
    if (field) {
      const name = field[1]!.toLowerCase();
      const value = field[2]!.replace(/^"|"$/g, '');
      if (handleField(query, name, value, token.negated, now)) continue;
    }
    const prefix = /\*+$/.test(token.raw);
    const tokenWords = words(token.raw);
    if (tokenWords.length === 0) continue;
    // A hyphenated or dotted word ("zero-day", "log4j.jar") is a phrase of its parts, as FTS5 indexes it.
    if (tokenWords.length > 1) addTerms([{ text: tokenWords.join(' '), phrase: true, prefix }], token.negated);
    else addTerms([{ text: tokenWords[0]!, phrase: false, prefix }], token.negated);
  }
  if (pendingOr) throw new SecwireError('QueryError', 'OR needs a word after it');
  return query;
}

function handleField(query: ParsedQuery, name: string, value: string, negated: boolean, now: Date): boolean {
  if (name === 'tag') {
    const [type, ...rest] = value.split(':');
    const slug = normaliseTagFilter(type ?? '', rest.join(':'));
    (negated ? query.excludedTags : query.tags).push(slug);
    return true;
  }
  if (TAG_SHORT_FORMS.has(name) && name !== 'source') {
    const slug = normaliseTagFilter(name, value);
    (negated ? query.excludedTags : query.tags).push(slug);
    return true;
  }
  if (name === 'source') {
    if (!value) throw new SecwireError('QueryError', 'source: needs a source id, e.g. source:bleepingcomputer');
    if (negated) query.excludedTags.push(`source:${value.toLowerCase()}`);
    else query.sources.push(value.toLowerCase());
    return true;
  }
  if (name === 'since' || name === 'until') {
    query[name] = parseRelativeOrAbsoluteDate(name, value, now);
    return true;
  }
  if (name === 'sort') {
    if (value !== 'date' && value !== 'relevance') throw new SecwireError('QueryError', `sort: must be "date" or "relevance", got "${value}"`);
    query.sort = value;
    return true;
  }
  return false;
}

function quoteFts(term: SearchTerm): string {
  return `"${term.text.replace(/"/g, '""')}"${term.prefix ? '*' : ''}`;
}

/** The FTS5 MATCH expression for the positive terms, or null when the query has none. */
export function ftsMatch(query: ParsedQuery): string | null {
  if (query.groups.length === 0) return null;
  return query.groups.map((group) => (group.length === 1 ? quoteFts(group[0]!) : `(${group.map(quoteFts).join(' OR ')})`)).join(' AND ');
}

/** The FTS5 MATCH expression of the excluded terms, or null. */
export function ftsExcluded(query: ParsedQuery): string | null {
  return query.excluded.length ? query.excluded.map(quoteFts).join(' OR ') : null;
}
