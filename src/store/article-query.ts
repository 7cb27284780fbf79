/**
 * One query planner for every list of articles: feeds, the API, search. Filters are bound parameters; the
 * full-text part is the FTS5 expression compiled from the parsed query (never user text as such).
 *
 * Finding a page of hits reads only narrow data: the FTS index, the `articles_hit_keys` index (id, date,
 * source) and the tags primary key. The wide article rows (bodies, HTML) are read for the page alone.
 *
 * Newest-first lists are found one of two ways, whichever is cheap for the query at hand:
 * - the walk: newest candidates from the date index, each checked (tags, words) until the page is full. Cheap
 *   when many articles match, whatever the archive size; it gives up after `walkBudget` candidates.
 * - the driven read: every match from the selective side (the FTS index, a tag's index), sorted by date.
 *   Cheap when few articles match, which is exactly when the walk gave up.
 * - the semi-join (words only): the newest candidates from the date index, enough for a page at the words'
 *   density, and one pass over the words' matches that keeps those among the candidates. A walk checks each
 *   candidate with its own FTS lookup (~0.1 ms each with ~20 index segments), so it costs most when the words
 *   are in a few percent of the archive; the semi-join then costs ~0.15 us per match.
 * With words, the planner estimates how common they are (how far back the newest few thousand matches reach)
 * and takes the plan with the lower estimated cost. Every plan gives the same rows; tests hold them to it.
 *
 * Relevance (`sort:relevance`, the default with words) is bounded too: it ranks the newest `relevanceWindow`
 * matches (newest by arrival: the highest ids), never every match. A common word matches most of a large
 * archive, and FTS5's bm25 reads the whole posting list of every word to weigh it (~85 ns per matching
 * article: ~85 ms per word at 1M articles), so bm25 cannot stay within a search's budget. Within the window an
 * article scores 1, plus 10 for each AND-group of words found in its title and 4 for each found in its tag
 * names (the column weights bm25 used); equal scores go newest first. Older matches are reached with
 * `sort:date` or a date range.
 */
import { SecwireError } from '../errors.js';
import type Database from 'better-sqlite3';
import type { Db } from './db.js';
import { ftsExcluded, ftsMatch, type ParsedQuery, type SearchTerm } from './search-query.js';
import type { ArticleQuery } from './types.js';

export interface SearchPlanOptions {
  /** Newest candidates a newest-first list checks one by one before reading every match instead. */
  walkBudget: number;
  /** Newest matches that `sort:relevance` ranks (see above); older matches are left to `sort:date`. */
  relevanceWindow: number;
  /** Matches read (newest first) to estimate how common the words are; when fewer match, all are read at once. */
  densitySample: number;
  /** Newest matches of the words a common tag is intersected with (see `relevanceWindow`) before the words drive alone. */
  tagSemiMatches: number;
}

export const DEFAULT_SEARCH_PLAN_OPTIONS: SearchPlanOptions = { walkBudget: 2000, relevanceWindow: 200, densitySample: 5000, tagSemiMatches: 10_000 };

export type DatePlan = 'walk' | 'driven' | 'semi';

/**
 * Estimated CPU per row of each date plan, in microseconds (150k archive, ~20 FTS segments): the walk's FTS
 * lookup per candidate, the semi-join's pass per match and its materialized candidate, the driven read's
 * date lookup per match. Only their ratios matter.
 */
const WALK_COST_PER_CANDIDATE = 115;
const SEMI_COST_PER_MATCH = 0.15;
const SEMI_COST_PER_CANDIDATE = 1;
const DRIVEN_COST_PER_MATCH = 0.9;
/** A wanted tag with fewer articles than the walk budget divided by this is read whole, not walked. */
const RARE_TAG_SHARE = 4;
/** The semi-join takes this many times the candidates a page needs at the estimated density (filters thin them). */
const SEMI_SPARE_CANDIDATES = 4;

/** The cheapest date plan for a page of `page` hits, words matching `density` of `articles`. */
export function chooseDatePlan(density: number, articles: number, page: number): { plan: DatePlan; candidates: number } {
  const candidates = Math.ceil((SEMI_SPARE_CANDIDATES * page) / density);
  const costs: [DatePlan, number][] = [
    ['walk', (page / density) * WALK_COST_PER_CANDIDATE],
    ['semi', density * articles * SEMI_COST_PER_MATCH + Math.min(candidates, articles) * SEMI_COST_PER_CANDIDATE],
    ['driven', density * articles * DRIVEN_COST_PER_MATCH],
  ];
  const [plan] = costs.reduce((best, next) => (next[1] < best[1] ? next : best));
  return { plan, candidates };
}

/** A tag filter with fewer articles than this many times the window drives the relevance window itself. */
const TAG_DRIVES_BELOW_WINDOWS = 4;

export type RelevanceDriver = 'fts' | 'tag' | 'tag-semi';

export type ArticleSearch = ArticleQuery & { match?: ParsedQuery | undefined };

type Statement = Database.Statement<unknown[]>;
type RowMode = 'rows' | 'pluck' | 'raw';

/** Statements by SQL text per database: compiling one costs ~0.1-0.5 ms, several per search. */
const statements = new WeakMap<Db, Map<string, Statement>>();
/** Distinct statements kept per database (their text varies with the number of tags, sources and words). */
const STATEMENTS_KEPT = 256;

function prepared(db: Db, sql: string, mode: RowMode = 'rows'): Statement {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  const key = `${mode}:${sql}`;
  let statement = cache.get(key);
  if (statement === undefined) {
    statement = db.prepare(sql);
    if (mode === 'pluck') statement.pluck();
    if (mode === 'raw') statement.raw();
    if (cache.size >= STATEMENTS_KEPT) cache.delete(cache.keys().next().value!);
    cache.set(key, statement);
  }
  return statement;
}

export interface Hit {
  id: number;
  sort_date: string | null;
  rank: number | null;
}

export interface HitPage {
  /** Up to `limit + 1` hits in page order: one more than asked says there is a next page. */
  hits: Hit[];
  sort: 'date' | 'relevance';
  /** How the hits were found (benchmarks and tests). */
  plan: DatePlan | 'relevance';
}

/**
 * Articles looked up by id (from the FTS index or a tag) through the narrow index that holds everything hit
 * finding filters and sorts on. Lists walked in date order use the date indexes instead, the planner's choice.
 */
const KEYS = 'articles k INDEXED BY articles_hit_keys';

export function encodeCursor(key: string | number, id: number): string {
  return Buffer.from(`${key}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { key: string; id: number } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const cut = text.lastIndexOf('|');
  const id = Number(text.slice(cut + 1));
  if (cut <= 0 || !Number.isInteger(id)) throw new SecwireError('QueryError', `invalid cursor "${cursor}"`);
  return { key: text.slice(0, cut), id };
}

interface Parts {
  params: Record<string, string | number>;
  /** Conditions on k.id, k.sort_date, k.source_id alone. */
  keys: string[];
  /** Conditions that look up other tables per article: tags, excluded words. */
  checks: string[];
  /** The FTS5 expression of the wanted words (with the excluded ones as NOT when there are wanted ones). */
  fts: string | null;
  sort: 'date' | 'relevance';
}

function parts(query: ArticleSearch): Parts {
  const params: Record<string, string | number> = { limit: query.limit + 1 };
  const keys: string[] = [];
  const checks: string[] = [];
  const match = query.match;
  const wanted = match ? ftsMatch(match) : null;
  const excluded = match ? ftsExcluded(match) : null;
  const sort = wanted ? (match?.sort ?? 'relevance') : 'date';
  const sources = [...(query.source ? [query.source] : []), ...(match?.sources ?? [])];
  if (sources.length) {
    keys.push(`k.source_id IN (${sources.map((_, i) => `@source${i}`).join(', ')})`);
    sources.forEach((source, i) => (params[`source${i}`] = source));
  }
  const since = [query.since, match?.since].filter(Boolean).sort().pop();
  const until = [query.until, match?.until].filter(Boolean).sort()[0];
  if (since) {
    keys.push('k.sort_date >= @since');
    params['since'] = since;
  }
  if (until) {
    keys.push('k.sort_date < @until');
    params['until'] = until;
  }
  [...(query.tags ?? []), ...(match?.tags ?? [])].forEach((slug, index) => {
    checks.push(`EXISTS (SELECT 1 FROM tags t WHERE t.article_id = k.id AND t.slug = @tag${index})`);
    params[`tag${index}`] = slug;
  });
  (match?.excludedTags ?? []).forEach((slug, index) => {
    checks.push(`NOT EXISTS (SELECT 1 FROM tags t WHERE t.article_id = k.id AND t.slug = @notTag${index})`);
    params[`notTag${index}`] = slug;
  });
  let fts = wanted;
  if (wanted && excluded) fts = `(${wanted}) NOT (${excluded})`;
  else if (excluded) {
    // Nothing wanted to subtract from inside FTS5: each candidate is looked up in the excluded words' doclists.
    checks.push('NOT EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH @excluded AND rowid = k.id)');
    params['excluded'] = excluded;
  }
  if (fts) params['match'] = fts;
  if (query.cursor) {
    const { key, id } = decodeCursor(query.cursor);
    params['cursorId'] = id;
    if (sort === 'relevance') params['cursorKey'] = Number(key);
    else {
      keys.push('(k.sort_date < @cursorKey OR (k.sort_date = @cursorKey AND k.id < @cursorId))');
      params['cursorKey'] = key;
    }
  }
  return { params, keys, checks, fts, sort };
}

const where = (conditions: string[]): string => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

/** Newest candidates, checked one by one; the page is complete when it fills or the candidates run out. */
function walkSql(p: Parts): { sql: string; candidatesSql: string } {
  const checks = [...p.checks.map((check) => check.replaceAll('k.id', 'c.id'))];
  if (p.fts) checks.push('EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH @match AND rowid = c.id)');
  const candidates = `SELECT k.id, k.sort_date FROM articles k ${where(p.keys)} ORDER BY k.sort_date DESC, k.id DESC LIMIT @budget`;
  // The candidates come out newest first and the page keeps that order: no sort, so it stops once full.
  return {
    sql: `SELECT c.id AS id, c.sort_date AS sort_date, NULL AS rank FROM (${candidates}) AS c ${where(checks)} LIMIT @limit`,
    candidatesSql: `SELECT COUNT(*) FROM (${candidates})`,
  };
}

/**
 * The newest `@candidates` articles passing the key filters, materialized once; the words' matches read in one
 * pass and kept when among them (`+rowid`: a filter on each match, not one FTS lookup per candidate).
 */
function semiSql(p: Parts): { sql: string; candidatesSql: string } {
  const candidates = `SELECT k.id, k.sort_date FROM articles k ${where(p.keys)} ORDER BY k.sort_date DESC, k.id DESC LIMIT @candidates`;
  const conditions = ['c.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH @match AND +rowid IN (SELECT id FROM c))', ...p.checks.map((check) => check.replaceAll('k.id', 'c.id'))];
  return {
    sql: `WITH c AS MATERIALIZED (${candidates}) SELECT c.id AS id, c.sort_date AS sort_date, NULL AS rank FROM c ${where(conditions)} ORDER BY c.sort_date DESC, c.id DESC LIMIT @limit`,
    candidatesSql: `SELECT COUNT(*) FROM (${candidates})`,
  };
}

/**
 * The share of the archive the words match, from how far back (in ids) their newest `sample` matches reach;
 * null when fewer match than that.
 */
function wordDensity(db: Db, p: Parts, sample: number): { density: number; articles: number } | null {
  const reach = prepared(db, 'SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?', 'pluck').get(p.params['match'], sample - 1) as number | undefined;
  if (reach === undefined) return null;
  const newest = prepared(db, 'SELECT MAX(id) FROM articles', 'pluck').get() as number;
  return { density: sample / Math.max(sample, newest - reach + 1), articles: newest };
}

/** Every match of the selective side (the words, else the first wanted tag), sorted by date; else the date walk. */
function drivenSql(p: Parts): string {
  const columns = 'k.id AS id, k.sort_date AS sort_date, NULL AS rank';
  const order = 'ORDER BY k.sort_date DESC, k.id DESC LIMIT @limit';
  if (p.fts) return `SELECT ${columns} FROM articles_fts JOIN ${KEYS} ON k.id = articles_fts.rowid ${where(['articles_fts MATCH @match', ...p.keys, ...p.checks])} ${order}`;
  if ('tag0' in p.params) {
    return `SELECT ${columns} FROM tags d CROSS JOIN ${KEYS} ON k.id = d.article_id ${where(['d.slug = @tag0', ...p.keys, ...p.checks])} ${order}`;
  }
  return `SELECT ${columns} FROM articles k ${where([...p.keys, ...p.checks])} ${order}`;
}

/**
 * With a common tag: the words' newest `@cap` matches, materialized once, and the tag's articles (its index, in
 * id order) kept when among them. Checking each match against the tag instead costs a lookup at a random place
 * of the tags table per match, ~3,000 of them for a tag on 7% of the archive: ~3 ms with the pages cached,
 * 30-60 ms when they are not (1M articles); this plan reads two contiguous ranges (1-5 ms either way).
 * One row: how many matches were materialized (fewer than `@cap` means all of them) and the hits as JSON.
 */
function tagSemiSql(p: Parts): string {
  const tagged = p.keys.length === 0 ? 'tags d' : `tags d CROSS JOIN ${KEYS} ON k.id = d.article_id`;
  const checks = p.keys.length === 0 ? p.checks.map((check) => check.replaceAll('k.id', 'd.article_id')) : p.checks;
  const conditions = ['d.slug = @tag0', 'd.article_id >= (SELECT MIN(id) FROM w)', 'd.article_id IN w', ...p.keys, ...checks];
  return `WITH w AS MATERIALIZED (SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH @match ORDER BY rowid DESC LIMIT @cap),
    hits AS (SELECT d.article_id AS id FROM ${tagged} ${where(conditions)} ORDER BY d.article_id DESC LIMIT @window)
    SELECT (SELECT COUNT(*) FROM w) AS matched, (SELECT json_group_array(id) FROM hits) AS ids`;
}

/**
 * The newest `@window` matches, ids descending: from the FTS index in id order (filters checked per row),
 * or from a small tag's articles (each checked against the words) when a common word meets a rare tag.
 */
function relevanceWindowSql(p: Parts, driver: 'fts' | 'tag'): string {
  if (driver === 'tag') {
    const conditions = ['d.slug = @tag0', ...p.keys, ...p.checks, 'EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH @match AND rowid = k.id)'];
    return `SELECT k.id AS id FROM tags d CROSS JOIN ${KEYS} ON k.id = d.article_id ${where(conditions)} ORDER BY d.article_id DESC LIMIT @window`;
  }
  if (p.keys.length === 0 && p.checks.length === 0) return 'SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH @match ORDER BY rowid DESC LIMIT @window';
  // Tag checks alone need no key row: each match is checked by its rowid (a third cheaper than joining the keys first).
  if (p.keys.length === 0 && p.checks.every((check) => !check.includes('articles_fts'))) {
    const checks = p.checks.map((check) => check.replaceAll('k.id', 'articles_fts.rowid'));
    return `SELECT rowid AS id FROM articles_fts ${where(['articles_fts MATCH @match', ...checks])} ORDER BY rowid DESC LIMIT @window`;
  }
  return `SELECT k.id AS id FROM articles_fts JOIN ${KEYS} ON k.id = articles_fts.rowid ${where(['articles_fts MATCH @match', ...p.keys, ...p.checks])}
    ORDER BY articles_fts.rowid DESC LIMIT @window`;
}

/** Words as FTS5's unicode61 tokenizer (remove_diacritics 2) cuts them: lower case, no marks, letters and digits. */
export function searchTokens(text: string): string[] {
  const folded = ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((token) => token.length > 0);
}

/** A term as tokens, with the text a matching ASCII string must contain (a cheap test before tokenizing it). */
interface TermTokens {
  tokens: string[];
  prefix: boolean;
  needle: string;
}

function termTokens(term: SearchTerm): TermTokens {
  const tokens = searchTokens(term.text);
  return { tokens, prefix: term.prefix, needle: tokens[0] ?? '' };
}

const ASCII = /^[\x00-\x7f]*$/;

/** A title or tag text, tokenized once and only when a term may occur in it. */
interface RankedText {
  raw: string;
  lower: string | null;
  tokens: string[] | null;
}

function rankedText(raw: string): RankedText {
  return { raw, lower: ASCII.test(raw) ? raw.toLowerCase() : null, tokens: null };
}

/** Whether a term (a word, a phrase, a prefix) occurs in a text, as FTS5 would find it there. */
function termIn(term: TermTokens, text: RankedText): boolean {
  if (term.tokens.length === 0) return false;
  // Most texts do not hold the term at all; an ASCII one that lacks its first token cannot match.
  if (text.lower !== null && !text.lower.includes(term.needle)) return false;
  const tokens = (text.tokens ??= searchTokens(text.raw));
  const last = term.tokens.length - 1;
  for (let start = 0; start + term.tokens.length <= tokens.length; start++) {
    let all = true;
    for (let i = 0; i <= last && all; i++) {
      const token = tokens[start + i]!;
      all = i === last && term.prefix ? token.startsWith(term.tokens[i]!) : token === term.tokens[i];
    }
    if (all) return true;
  }
  return false;
}

/** Relevance of one matching article (lower is better, as bm25): minus 1 + 10 per group in the title + 4 per group in the tags. */
function relevanceRank(groups: TermTokens[][], title: RankedText | undefined, tags: RankedText | undefined): number {
  let score = 1;
  for (const group of groups) {
    if (title && group.some((term) => termIn(term, title))) score += TITLE_WEIGHT;
    if (tags && group.some((term) => termIn(term, tags))) score += TAGS_WEIGHT;
  }
  return -score;
}

const TITLE_WEIGHT = 10;
const TAGS_WEIGHT = 4;

/** The ids of the relevance window of a query with words, newest first (unranked), and how they were found. */
export function relevanceWindow(db: Db, query: ArticleSearch, plan: Partial<SearchPlanOptions> = {}): { ids: number[]; driver: RelevanceDriver } {
  const options = { ...DEFAULT_SEARCH_PLAN_OPTIONS, ...plan };
  const p = parts(query);
  if (!p.fts) return { ids: [], driver: 'fts' };
  const window = Math.max(1, Math.trunc(options.relevanceWindow));
  if ('tag0' in p.params) {
    const cap = window * TAG_DRIVES_BELOW_WINDOWS;
    const tagged = prepared(db, 'SELECT COUNT(*) FROM (SELECT 1 FROM tags WHERE slug = ? LIMIT ?)', 'pluck').get(p.params['tag0'], cap) as number;
    if (tagged < cap) return { ids: prepared(db, relevanceWindowSql(p, 'tag'), 'pluck').all({ ...p.params, window }) as number[], driver: 'tag' };
    const matches = Math.max(1, Math.trunc(options.tagSemiMatches));
    const semi = prepared(db, tagSemiSql(p)).get({ ...p.params, window, cap: matches }) as { matched: number; ids: string };
    const ids = (JSON.parse(semi.ids) as number[]).sort((a, b) => b - a);
    // Exact when every match was materialized, or when the newest ones already held a full window (any match
    // left out is older than all of them). Else the tag is rare among the words' matches: the words drive.
    if (semi.matched < matches || ids.length >= window) return { ids, driver: 'tag-semi' };
  }
  return { ids: prepared(db, relevanceWindowSql(p, 'fts'), 'pluck').all({ ...p.params, window }) as number[], driver: 'fts' };
}

export function relevanceWindowIds(db: Db, query: ArticleSearch, plan: Partial<SearchPlanOptions> = {}): number[] {
  return relevanceWindow(db, query, plan).ids;
}

function relevanceHits(db: Db, query: ArticleSearch, p: Parts, options: SearchPlanOptions): Hit[] {
  const ids = relevanceWindowIds(db, query, options);
  if (ids.length === 0) return [];
  const groups = (query.match?.groups ?? []).map((group) => group.map(termTokens));
  // Only titles and tags that may hold a word reach JavaScript: ASCII ones containing a term's first token, and
  // any non-ASCII one (its diacritics are for searchTokens to fold). Most of the window's rows stay in SQLite.
  const needles = [...new Set(groups.flat().map((term) => term.needle).filter((needle) => needle.length > 0))];
  const params: Record<string, string> = { ids: JSON.stringify(ids) };
  needles.forEach((needle, i) => (params[`needle${i}`] = needle));
  const mayHold = (text: string): string => `(${text} GLOB '*[^ -~]*' OR ${needles.map((_, i) => `instr(lower(${text}), @needle${i}) > 0`).join(' OR ')})`;
  const titles = new Map<number, RankedText>();
  const tagTexts = new Map<number, RankedText>();
  if (needles.length > 0) {
    // The title and the tag text the index holds ("name value name value ..."), each only when it may hold a word.
    const rows = prepared(
      db,
      `SELECT id, CASE WHEN ${mayHold('title')} THEN title END, CASE WHEN ${mayHold('tag_text')} THEN tag_text END FROM articles
       WHERE id IN (SELECT value FROM json_each(@ids)) AND (${mayHold('title')} OR ${mayHold('tag_text')})`,
      'raw',
    ).all(params) as [number, string | null, string | null][];
    for (const [id, title, tagText] of rows) {
      if (title !== null) titles.set(id, rankedText(title));
      if (tagText !== null) tagTexts.set(id, rankedText(tagText));
    }
  }
  let hits: Hit[] = ids.map((id) => ({ id, sort_date: null, rank: relevanceRank(groups, titles.get(id), tagTexts.get(id)) }));
  hits.sort((a, b) => a.rank! - b.rank! || b.id - a.id);
  if ('cursorId' in p.params) {
    const key = p.params['cursorKey'] as number;
    const after = p.params['cursorId'] as number;
    hits = hits.filter((hit) => hit.rank! > key || (hit.rank === key && hit.id < after));
  }
  return hits.slice(0, query.limit + 1);
}

/** The hits of one page (plus one), by the cheapest plan for this query. */
export function findHits(db: Db, query: ArticleSearch, plan: Partial<SearchPlanOptions> = {}, force?: DatePlan): HitPage {
  const options = { ...DEFAULT_SEARCH_PLAN_OPTIONS, ...plan };
  const p = parts(query);
  if (p.sort === 'relevance') return { hits: relevanceHits(db, query, p, options), sort: 'relevance', plan: 'relevance' };
  const page = query.limit + 1;
  const driven = (): HitPage => ({ hits: prepared(db, drivenSql(p)).all(p.params) as Hit[], sort: 'date', plan: 'driven' });
  const walk = (): HitPage | null => {
    const sql = walkSql(p);
    const params = { ...p.params, budget: options.walkBudget };
    const hits = prepared(db, sql.sql).all(params) as Hit[];
    if (hits.length >= page || force === 'walk') return { hits, sort: 'date', plan: 'walk' };
    // Fewer hits than asked: final when every candidate was checked, else the matches are rare: read them all.
    return (prepared(db, sql.candidatesSql, 'pluck').get(params) as number) < options.walkBudget ? { hits, sort: 'date', plan: 'walk' } : null;
  };
  const semi = (candidates: number): HitPage | null => {
    const sql = semiSql(p);
    const params = { ...p.params, candidates };
    const hits = prepared(db, sql.sql).all(params) as Hit[];
    if (hits.length >= page || force === 'semi') return { hits, sort: 'date', plan: 'semi' };
    return (prepared(db, sql.candidatesSql, 'pluck').get(params) as number) < candidates ? { hits, sort: 'date', plan: 'semi' } : null;
  };
  if (force === 'driven') return driven();
  if (force === 'walk') return walk()!;
  if (force === 'semi') return p.fts ? semi(Number.MAX_SAFE_INTEGER)! : driven();
  if (p.fts === null) {
    // A tag with fewer articles than a small share of the walk budget is read whole: a walk would check up to the
    // budget's candidates before giving up on it.
    const rare = Math.max(1, Math.trunc(options.walkBudget / RARE_TAG_SHARE));
    if ('tag0' in p.params && (prepared(db, 'SELECT COUNT(*) FROM (SELECT 1 FROM tags WHERE slug = ? LIMIT ?)', 'pluck').get(p.params['tag0'], rare) as number) < rare) return driven();
    return (p.checks.length > 0 ? walk() : null) ?? driven();
  }
  const estimate = wordDensity(db, p, Math.max(1, Math.trunc(options.densitySample)));
  if (estimate === null) return driven();
  const choice = chooseDatePlan(estimate.density, estimate.articles, page);
  if (choice.plan === 'driven') return driven();
  return (choice.plan === 'walk' ? walk() : semi(choice.candidates)) ?? driven();
}

/**
 * The ids of the best `maxHits` hits, in no particular order (facets count over them). A relevance window no
 * larger than that is those hits: its ids are taken without ranking them.
 */
export function bestHitIds(db: Db, query: ArticleSearch, maxHits: number, plan: Partial<SearchPlanOptions> = {}): number[] {
  const options = { ...DEFAULT_SEARCH_PLAN_OPTIONS, ...plan };
  const whole = { ...query, cursor: undefined };
  if (parts(whole).sort === 'relevance' && options.relevanceWindow <= maxHits) return relevanceWindowIds(db, whole, options);
  return findHits(db, { ...whole, limit: maxHits - 1 }, options).hits.map((hit) => hit.id);
}
