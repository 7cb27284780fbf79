/**
 * Highlighted snippets of a page of hits, made from the article text the page has already read. FTS5's
 * snippet() re-reads every word's posting list at each hit and re-tokenizes the body to score its windows
 * (~0.2-0.4 ms per hit on a large archive, and `rowid IN (...)` beside MATCH made FTS5 scan every match);
 * this follows the same choice in JavaScript: the window of `size` words holding the most distinct query
 * terms (then the most hits), preferring one that starts a sentence, matches marked with \u0002 ... \u0003.
 */
import { searchTokens } from './article-query.js';
import type { ParsedQuery } from './search-query.js';

export const SNIPPET_WORDS = 24;
const ELLIPSIS = '…';
const OPEN = '\u0002';
const CLOSE = '\u0003';
/** Scores as FTS5 gives them: a term's first hit in a window weighs far more than its repeats. */
const FIRST_HIT = 1000;
const REPEAT_HIT = 1;
const SENTENCE_BONUS = 100;
const OPENING_BONUS = 120;

interface Token {
  start: number;
  end: number;
  folded: string;
}

interface Instance {
  position: number;
  length: number;
  term: number;
}

/** A query's wanted terms as folded tokens (what a snippet marks); excluded terms are never in a hit. */
export interface SnippetTerms {
  terms: { tokens: string[]; prefix: boolean }[];
}

export function snippetTerms(match: ParsedQuery): SnippetTerms {
  const terms = match.groups.flat().map((term) => ({ tokens: searchTokens(term.text), prefix: term.prefix }));
  return { terms: terms.filter((term) => term.tokens.length > 0) };
}

const TOKEN = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_TOKEN = /[a-z0-9]+/g;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  if (ASCII.test(text)) {
    // Lower case keeps an ASCII text's offsets, so words are cut from it once.
    for (const found of text.toLowerCase().matchAll(ASCII_TOKEN)) tokens.push({ start: found.index, end: found.index + found[0].length, folded: found[0] });
    return tokens;
  }
  for (const found of text.matchAll(TOKEN)) {
    const raw = found[0];
    // A word that folds to several (a ligature, a fraction) keeps its first part: enough to mark it.
    const folded = searchTokens(raw)[0] ?? '';
    if (folded.length > 0) tokens.push({ start: found.index, end: found.index + raw.length, folded });
  }
  return tokens;
}

function instancesOf(tokens: Token[], terms: SnippetTerms): Instance[] {
  const instances: Instance[] = [];
  for (let position = 0; position < tokens.length; position++) {
    terms.terms.forEach((term, index) => {
      const last = term.tokens.length - 1;
      if (position + last >= tokens.length) return;
      for (let i = 0; i <= last; i++) {
        const token = tokens[position + i]!.folded;
        const wanted = term.tokens[i]!;
        if (i === last && term.prefix ? !token.startsWith(wanted) : token !== wanted) return;
      }
      instances.push({ position, length: last + 1, term: index });
    });
  }
  return instances;
}

/**
 * For each token, the index of the token that opens its sentence: the first, and any after a "." or ":" and
 * white space (as FTS5 finds them).
 */
function sentenceOf(text: string, tokens: Token[]): Int32Array {
  const opening = new Int32Array(tokens.length);
  for (let i = 1; i < tokens.length; i++) {
    let at = tokens[i]!.start - 1;
    while (at >= 0 && (text[at] === ' ' || text[at] === '\t' || text[at] === '\n' || text[at] === '\r')) at--;
    opening[i] = at !== tokens[i]!.start - 1 && (text[at] === '.' || text[at] === ':') ? i : opening[i - 1]!;
  }
  return opening;
}

/** The first instance at or after `position` (instances are in position order). */
function firstAt(instances: Instance[], position: number): number {
  let lo = 0;
  let hi = instances.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (instances[mid]!.position < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The score of the window starting at `from`, and where a window centred on its hits (first hit to the end of the last) would start. */
function scoreWindow(instances: Instance[], from: number, size: number, tokenCount: number, termCount: number): { score: number; centred: number } {
  const seen = new Array<boolean>(termCount).fill(false);
  let score = 0;
  let first = -1;
  let last = -1;
  for (let i = firstAt(instances, from); i < instances.length && instances[i]!.position < from + size; i++) {
    const instance = instances[i]!;
    score += seen[instance.term] ? REPEAT_HIT : FIRST_HIT;
    seen[instance.term] = true;
    if (first < 0) first = instance.position;
    last = instance.position + instance.length;
  }
  let centred = first - Math.trunc((size - (last - first)) / 2);
  if (centred + size > tokenCount) centred = tokenCount - size;
  return { score, centred: Math.max(0, centred) };
}

/** The snippet of `text` for a query's terms: `size` words, the chosen window's matches marked. */
export function makeSnippet(text: string, terms: SnippetTerms, size = SNIPPET_WORDS): string {
  const tokens = tokenize(text);
  if (tokens.length === 0) return text;
  const instances = instancesOf(tokens, terms);
  const sentences = tokens.length > size ? sentenceOf(text, tokens) : null;
  let best = 0;
  let start = 0;
  for (const instance of instances) {
    const around = scoreWindow(instances, instance.position, size, tokens.length, terms.terms.length);
    if (around.score > best) {
      best = around.score;
      start = around.centred;
    }
    // The sentence this hit is in, if it starts before the hit: a window opening there reads better.
    const sentence = sentences === null ? instance.position : sentences[instance.position]!;
    if (sentence < instance.position) {
      const opening = scoreWindow(instances, sentence, size, tokens.length, terms.terms.length).score + (sentence === 0 ? OPENING_BONUS : SENTENCE_BONUS);
      if (opening > best) {
        best = opening;
        start = sentence;
      }
    }
  }
  return highlight(text, tokens, instances, start, Math.min(tokens.length, start + size));
}

function highlight(text: string, tokens: Token[], instances: Instance[], start: number, end: number): string {
  // Marked spans by token index, overlapping hits merged.
  const marks: { from: number; to: number }[] = [];
  for (const instance of instances) {
    const from = Math.max(start, instance.position);
    const to = Math.min(end, instance.position + instance.length) - 1;
    if (from > to) continue;
    const previous = marks[marks.length - 1];
    if (previous && from <= previous.to) previous.to = Math.max(previous.to, to);
    else marks.push({ from, to });
  }
  let out = start > 0 ? ELLIPSIS : '';
  let offset = start > 0 ? tokens[start]!.start : 0;
  for (const mark of marks) {
    out += text.slice(offset, tokens[mark.from]!.start) + OPEN + text.slice(tokens[mark.from]!.start, tokens[mark.to]!.end) + CLOSE;
    offset = tokens[mark.to]!.end;
  }
  if (end >= tokens.length) return out + text.slice(offset);
  return out + text.slice(offset, tokens[end - 1]!.end) + ELLIPSIS;
}
