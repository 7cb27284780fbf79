/**
 * Watchlists: named rules on tags and text, each becoming a feed. `tags` is any-of; `query` is words and
 * "phrases" that must all occur (case-insensitive, whole words), `A OR B` for either, `-word` to exclude.
 * When both are given, both must hold.
 */
import { SecwireError } from '../errors.js';
import { normaliseTagSlug } from './slug.js';
import { nameTokens } from './tokens.js';

export interface WatchlistConfig {
  name: string;
  match: { tags?: string[]; query?: string };
}

type Article = { title: string; text: string; tags: string[] };

/** A query term: a run of words that must appear in this order. */
type Phrase = string[];
/** Clauses are ANDed; the phrases inside one clause are ORed. */
interface Query {
  clauses: Phrase[][];
  excluded: Phrase[];
}

function queryError(name: string, query: string, problem: string): SecwireError {
  return new SecwireError('QueryError', `watchlist ${name}: query ${JSON.stringify(query)}: ${problem}`, { watchlist: name, query });
}

function toPhrase(raw: string): Phrase {
  return nameTokens(raw).map((word) => word.toLowerCase());
}

function parseQuery(name: string, query: string): Query {
  const raw = query.match(/-?"[^"]*"?|\S+/g) ?? [];
  const clauses: Phrase[][] = [];
  const excluded: Phrase[] = [];
  let pendingOr = false;
  for (const piece of raw) {
    if (piece === 'OR') {
      if (clauses.length === 0 || pendingOr) throw queryError(name, query, 'OR needs a term on both sides');
      pendingOr = true;
      continue;
    }
    const negative = piece.startsWith('-');
    let body = negative ? piece.slice(1) : piece;
    if (body.startsWith('"')) {
      if (body.length < 2 || !body.endsWith('"')) throw queryError(name, query, 'a quote is not closed');
      body = body.slice(1, -1);
    }
    const phrase = toPhrase(body);
    if (phrase.length === 0) throw queryError(name, query, `${JSON.stringify(piece)} has no words`);
    if (negative) {
      if (pendingOr) throw queryError(name, query, 'OR cannot join an excluded term');
      excluded.push(phrase);
    } else if (pendingOr) {
      clauses[clauses.length - 1]?.push(phrase);
      pendingOr = false;
    } else {
      clauses.push([phrase]);
    }
  }
  if (pendingOr) throw queryError(name, query, 'OR needs a term on both sides');
  if (clauses.length === 0 && excluded.length === 0) throw queryError(name, query, 'the query is empty');
  return { clauses, excluded };
}

function containsPhrase(words: string[], phrase: Phrase): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i += 1) {
    for (let j = 0; j < phrase.length; j += 1) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

export function compileWatchlist(config: WatchlistConfig): (article: Article) => boolean {
  const tags = config.match.tags?.map(normaliseTagSlug) ?? [];
  const query = config.match.query !== undefined ? parseQuery(config.name, config.match.query) : null;
  if (tags.length === 0 && query === null) {
    throw new SecwireError('QueryError', `watchlist ${config.name}: match needs tags or a query`, { watchlist: config.name });
  }
  return (article) => {
    if (tags.length > 0) {
      const articleTags = new Set(article.tags.map(normaliseTagSlug));
      if (!tags.some((tag) => articleTags.has(tag))) return false;
    }
    if (query) {
      const words = toPhrase(`${article.title}\n${article.text}`);
      if (!query.clauses.every((clause) => clause.some((phrase) => containsPhrase(words, phrase)))) return false;
      if (query.excluded.some((phrase) => containsPhrase(words, phrase))) return false;
    }
    return true;
  };
}
