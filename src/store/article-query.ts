/**
 * One SQL builder for every list of articles: feeds, the API, search. Filters are bound parameters; the
 * full-text part is the FTS5 expression compiled from the parsed query (never user text as such).
 */
import { SecwireError } from '../errors.js';
import { ftsExcluded, ftsMatch, type ParsedQuery } from './search-query.js';
import type { ArticleQuery } from './types.js';

export interface BuiltQuery {
  sql: string;
  params: Record<string, string | number>;
  sort: 'date' | 'relevance';
}

/** bm25 weights of the FTS columns: a title match outranks a body match, tag names sit between. */
const BM25_WEIGHTS = '10.0, 1.0, 4.0';

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

export function buildArticleQuery(query: ArticleQuery & { match?: ParsedQuery | undefined }): BuiltQuery {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: query.limit + 1 };
  const match = query.match;
  const fts = match ? ftsMatch(match) : null;
  const sort = match?.sort ?? (fts ? 'relevance' : 'date');
  const sources = [...(query.source ? [query.source] : []), ...(match?.sources ?? [])];
  if (sources.length) {
    where.push(`a.source_id IN (${sources.map((_, i) => `@source${i}`).join(', ')})`);
    sources.forEach((source, i) => (params[`source${i}`] = source));
  }
  [...(query.tags ?? []), ...(match?.tags ?? [])].forEach((slug, index) => {
    where.push(`EXISTS (SELECT 1 FROM tags t WHERE t.article_id = a.id AND t.slug = @tag${index})`);
    params[`tag${index}`] = slug;
  });
  (match?.excludedTags ?? []).forEach((slug, index) => {
    where.push(`NOT EXISTS (SELECT 1 FROM tags t WHERE t.article_id = a.id AND t.slug = @notTag${index})`);
    params[`notTag${index}`] = slug;
  });
  const since = [query.since, match?.since].filter(Boolean).sort().pop();
  const until = [query.until, match?.until].filter(Boolean).sort()[0];
  if (since) {
    where.push('a.sort_date >= @since');
    params['since'] = since;
  }
  if (until) {
    where.push('a.sort_date < @until');
    params['until'] = until;
  }
  const excluded = match ? ftsExcluded(match) : null;
  if (excluded) {
    where.push('a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH @excluded)');
    params['excluded'] = excluded;
  }
  if (fts) {
    where.push('articles_fts MATCH @match');
    params['match'] = fts;
  }
  const rank = fts ? `bm25(articles_fts, ${BM25_WEIGHTS})` : null;
  if (query.cursor) {
    const { key, id } = decodeCursor(query.cursor);
    if (sort === 'relevance' && rank) {
      where.push(`(${rank} > @cursorKey OR (${rank} = @cursorKey AND a.id < @cursorId))`);
      params['cursorKey'] = Number(key);
    } else {
      where.push('(a.sort_date < @cursorKey OR (a.sort_date = @cursorKey AND a.id < @cursorId))');
      params['cursorKey'] = key;
    }
    params['cursorId'] = id;
  }
  const from = fts ? 'articles_fts JOIN articles a ON a.id = articles_fts.rowid' : 'articles a';
  const byRank = sort === 'relevance' && rank !== null;
  // Rank and sort on the id, date and score only, then read the page's full rows: selecting a.* for every match
  // would pull each matching article's body and HTML (overflow pages) off disk before the sort.
  const hits = `SELECT a.id AS id, a.sort_date AS sort_date, ${rank ?? 'NULL'} AS rank FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${byRank ? 'rank ASC, a.id DESC' : 'a.sort_date DESC, a.id DESC'} LIMIT @limit`;
  const sql = `SELECT a.*, hits.rank AS rank FROM (${hits}) AS hits JOIN articles a ON a.id = hits.id
    ORDER BY ${byRank ? 'hits.rank ASC, hits.id DESC' : 'hits.sort_date DESC, hits.id DESC'}`;
  return { sql, params, sort: byRank ? 'relevance' : 'date' };
}

/**
 * Snippets for one page of hits only: snippet() in the main query would run for every matching row before
 * the sort, which costs more than the search itself on broad queries.
 */
export function buildSnippetQuery(match: ParsedQuery, ids: number[]): { sql: string; params: Record<string, string | number> } | null {
  const fts = ftsMatch(match);
  if (!fts || ids.length === 0) return null;
  const params: Record<string, string | number> = { match: fts };
  ids.forEach((id, i) => (params[`id${i}`] = id));
  const sql = `SELECT rowid AS id, snippet(articles_fts, 1, char(2), char(3), '…', 24) AS snippet FROM articles_fts
    WHERE articles_fts MATCH @match AND rowid IN (${ids.map((_, i) => `@id${i}`).join(', ')})`;
  return { sql, params };
}
