/**
 * Scores the extractor on the dev corpora (../shared/corpus/extract, or --corpus DIR): per corpus body
 * F1 of word 4-gram shingles (per-page precision and recall, averaged), title (NFKC, whitespace collapsed) and author exact match,
 * date same-day and same-instant rates, and the worst pages by F1.
 *   npm run eval:extract [-- --corpus DIR] [--only readability,fundus] [--worst 10] [--titles] [--authors] [--json]
 * --titles lists every title miss with the expected and the extracted title; --authors every author miss likewise.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { extractArticle } from '../src/extract/index.js';
import { htmlToText } from '../src/extract/text.js';
import type { Extracted } from '../src/types.js';

export interface CorpusPage {
  corpus: string;
  id: string;
  url: string;
  html: string;
  expected: {
    text: string | null;
    /** Only the opening words are labelled (Postlight): scored as recall of those shingles. */
    firstWords: string | null;
    title: string | null;
    authors: string[] | null;
    published: string | null;
  };
}

export interface PageScore {
  corpus: string;
  id: string;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  firstWordsRecall: number | null;
  title: boolean | null;
  author: boolean | null;
  sameDay: boolean | null;
  sameInstant: boolean | null;
  error: string | null;
  /** The labelled and the extracted title, kept for --titles. */
  expectedTitle: string | null;
  gotTitle: string | null;
  /** The labelled and the extracted authors, kept for --authors. */
  expectedAuthors: string[] | null;
  gotAuthors: string[];
}

function repoRoot(): string {
  let dir = resolve(fileURLToPath(import.meta.url), '..');
  while (!existsSync(join(dir, 'package.json')) && resolve(dir, '..') !== dir) dir = resolve(dir, '..');
  return dir;
}

export function defaultCorpusDir(): string {
  return resolve(repoRoot(), '..', 'shared', 'corpus', 'extract');
}

function readMaybeGz(file: string): string {
  const bytes = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

function readabilityPages(dir: string): CorpusPage[] {
  const root = join(dir, 'readability', 'test-pages');
  if (!existsSync(root)) return [];
  return readdirSync(root).sort().flatMap((name) => {
    const caseDir = join(root, name);
    if (!existsSync(join(caseDir, 'source.html'))) return [];
    const meta = JSON.parse(readFileSync(join(caseDir, 'expected-metadata.json'), 'utf8')) as { title?: string | null; byline?: string | null; publishedTime?: string | null };
    return [{
      corpus: 'readability', id: name, url: 'http://fakehost/test/page.html', html: readFileSync(join(caseDir, 'source.html'), 'utf8'),
      expected: {
        text: htmlToText(readFileSync(join(caseDir, 'expected.html'), 'utf8')), firstWords: null, title: meta.title ?? null,
        authors: meta.byline ? [meta.byline] : null, published: meta.publishedTime ?? null,
      },
    }];
  });
}

interface PostlightTruth {
  fixture: string;
  url: string;
  expected: { title?: string | null; author?: string | null; date_published?: string | null; first_words?: { text: string } | null };
}

function postlightPages(dir: string): CorpusPage[] {
  const file = join(dir, 'postlight', 'ground-truth.json');
  if (!existsSync(file)) return [];
  const truth = JSON.parse(readFileSync(file, 'utf8')) as PostlightTruth[];
  return truth.filter((entry) => existsSync(join(dir, 'postlight', entry.fixture))).map((entry) => ({
    corpus: 'postlight', id: entry.fixture.replace(/^fixtures\//, ''), url: entry.url, html: readFileSync(join(dir, 'postlight', entry.fixture), 'utf8'),
    expected: {
      text: null, firstWords: entry.expected.first_words?.text ?? null, title: entry.expected.title ?? null,
      authors: entry.expected.author ? [entry.expected.author] : null, published: entry.expected.date_published ?? null,
    },
  }));
}

interface FundusTruth {
  html_gz: string;
  url: string;
  title: string | null;
  authors: string[] | null;
  publishing_date: string | null;
  body_text: string | null;
}

function fundusPages(dir: string): CorpusPage[] {
  const file = join(dir, 'fundus', 'ground-truth.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as FundusTruth)
    .filter((entry) => existsSync(join(dir, 'fundus', entry.html_gz)))
    .map((entry) => ({
      corpus: 'fundus', id: entry.html_gz.replace(/^pages\//, ''), url: entry.url, html: readMaybeGz(join(dir, 'fundus', entry.html_gz)),
      expected: {
        text: entry.body_text, firstWords: null, title: entry.title,
        authors: entry.authors && entry.authors.length > 0 ? entry.authors : null,
        published: entry.publishing_date ? entry.publishing_date.replace(' ', 'T') : null,
      },
    }));
}

function zdnetPages(dir: string): CorpusPage[] {
  const root = join(dir, 'zdnet');
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((name) => name.endsWith('.json')).map((name) => {
    const truth = JSON.parse(readFileSync(join(root, name), 'utf8')) as { url: string; articleBody: string };
    const page = join(root, name.replace(/\.json$/, '.html.gz'));
    return {
      corpus: 'zdnet', id: name.replace(/\.json$/, ''), url: truth.url, html: readMaybeGz(page),
      expected: { text: truth.articleBody, firstWords: null, title: null, authors: null, published: null },
    };
  });
}

export function loadCorpus(dir: string, only: string[] | null): CorpusPage[] {
  const loaders: Record<string, (dir: string) => CorpusPage[]> = { readability: readabilityPages, postlight: postlightPages, fundus: fundusPages, zdnet: zdnetPages };
  return Object.entries(loaders).filter(([name]) => !only || only.includes(name)).flatMap(([, loader]) => loader(dir));
}

/** Scripts written without spaces between words: a run of them is a phrase or a sentence, not a word. */
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const wordSegmenter = new Intl.Segmenter('und', { granularity: 'word' });

/**
 * Lower-case words. Chinese, Japanese and Thai runs are cut into words by ICU's dictionary segmenter:
 * read as one token each, a Japanese article of 170 words scored as 21 clause-long "words".
 */
export function words(text: string): string[] {
  const tokens = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens.flatMap((token) => (UNSPACED_SCRIPT.test(token)
    ? [...wordSegmenter.segment(token)].filter((segment) => segment.isWordLike).map((segment) => segment.segment)
    : [token]));
}

function shingles(text: string): Set<string> {
  const tokens = words(text);
  if (tokens.length < 4) return new Set(tokens.length > 0 ? [tokens.join(' ')] : []);
  const out = new Set<string>();
  for (let index = 0; index + 4 <= tokens.length; index += 1) out.add(tokens.slice(index, index + 4).join(' '));
  return out;
}

export function shingleScores(got: string, expected: string): { precision: number; recall: number; f1: number } {
  const ours = shingles(got);
  const theirs = shingles(expected);
  if (ours.size === 0 && theirs.size === 0) return { precision: 1, recall: 1, f1: 1 };
  let common = 0;
  for (const shingle of ours) if (theirs.has(shingle)) common += 1;
  const precision = ours.size === 0 ? 0 : common / ours.size;
  const recall = theirs.size === 0 ? 0 : common / theirs.size;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Titles compare with whitespace collapsed, Unicode compatibility forms folded (NFKC: full-width "？" is "?"),
 * invisible format characters dropped (zero-width spaces, soft hyphens) and typographic quotes read as straight
 * ones: labels copy one of a page's titles (og:title "Kohberger's", the headline "Kohberger’s"), and which
 * glyph it used says nothing of whether the title is right. Nothing more: words, case and punctuation count.
 */
export function titleKey(text: string): string {
  return normalizeSpace(text.normalize('NFKC').replace(/\p{Cf}/gu, '').replace(/[‘’‚‛′]/g, "'").replace(/[“”„‟″]/g, '"'));
}

function authorKey(names: string[]): string {
  return names.flatMap((name) => name.replace(/^\s*by\s+/i, '').split(/\s*(?:,|&|\band\b)\s*/i))
    .map((name) => normalizeSpace(name).toLowerCase()).filter((name) => name.length > 0).sort().join('|');
}

/** "2021-11-29T10:00:00+01:00" -> "2021-11-29" in that same offset. */
function calendarDay(iso: string, offsetMinutes: number): string {
  return new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

function offsetOf(iso: string): number {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function labelledInstant(label: string): string {
  // Labels without a zone ("2018-04-05T06:00") are read as UTC, as the extractor reads such pages.
  return /T\d{2}:\d{2}/.test(label) && !/(Z|[+-]\d{2}:?\d{2})$/.test(label) ? `${label}Z` : label;
}

export function scorePage(page: CorpusPage, got: Extracted | null, error: string | null): PageScore {
  const { expected } = page;
  const text = got?.text ?? '';
  const body = expected.text !== null ? shingleScores(text, expected.text) : null;
  let firstWordsRecall: number | null = null;
  if (expected.firstWords) {
    const wanted = shingles(expected.firstWords);
    const ours = shingles(text);
    let hits = 0;
    for (const shingle of wanted) if (ours.has(shingle)) hits += 1;
    firstWordsRecall = wanted.size === 0 ? 1 : hits / wanted.size;
  }
  let sameDay: boolean | null = null;
  let sameInstant: boolean | null = null;
  if (expected.published && !Number.isNaN(Date.parse(labelledInstant(expected.published)))) {
    const label = labelledInstant(expected.published);
    const ours = got?.published ?? null;
    sameDay = ours !== null && (calendarDay(ours, offsetOf(label)) === calendarDay(label, offsetOf(label)) || ours.slice(0, 10) === label.slice(0, 10));
    if (/T\d{2}:\d{2}/.test(label)) sameInstant = ours !== null && Math.abs(Date.parse(ours) - Date.parse(label)) < 60_000;
  }
  return {
    corpus: page.corpus, id: page.id,
    precision: body?.precision ?? null, recall: body?.recall ?? null, f1: body?.f1 ?? null, firstWordsRecall,
    title: expected.title ? titleKey(got?.title ?? '') === titleKey(expected.title) : null,
    author: expected.authors ? authorKey(got?.authors ?? []) === authorKey(expected.authors) : null,
    sameDay, sameInstant, error,
    expectedTitle: expected.title, gotTitle: got?.title ?? null,
    expectedAuthors: expected.authors, gotAuthors: got?.authors ?? [],
  };
}

export function runExtractor(page: CorpusPage): { got: Extracted | null; error: string | null } {
  try {
    return { got: extractArticle(page.html, page.url, { now: new Date('2030-01-01T00:00:00Z') }), error: null };
  } catch (caught) {
    return { got: null, error: caught instanceof Error ? caught.message : String(caught) };
  }
}

function mean(values: Array<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0) / present.length;
}

function rate(values: Array<boolean | null>): string {
  const present = values.filter((value): value is boolean => value !== null);
  if (present.length === 0) return '   -   ';
  return `${(present.filter(Boolean).length / present.length).toFixed(3)} (n=${present.length})`;
}

function fixed(value: number | null): string {
  return value === null ? '  -  ' : value.toFixed(3);
}

export function summarize(name: string, scores: PageScore[]): string {
  const f1 = mean(scores.map((score) => score.f1));
  return [
    `${name.padEnd(12)} pages=${String(scores.length).padEnd(4)}`,
    `F1=${fixed(f1)} P=${fixed(mean(scores.map((score) => score.precision)))} R=${fixed(mean(scores.map((score) => score.recall)))}`,
    `firstWords=${fixed(mean(scores.map((score) => score.firstWordsRecall)))}`,
    `title=${rate(scores.map((score) => score.title))}`,
    `author=${rate(scores.map((score) => score.author))}`,
    `sameDay=${rate(scores.map((score) => score.sameDay))}`,
    `sameInstant=${rate(scores.map((score) => score.sameInstant))}`,
    `errors=${scores.filter((score) => score.error).length}`,
  ].join('  ');
}

function argValue(args: string[], name: string): string | null {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? null) : null;
}

function main(args: string[]): void {
  const corpusDir = resolve(argValue(args, '--corpus') ?? defaultCorpusDir());
  if (!existsSync(corpusDir)) {
    console.log(`eval:extract: corpus not found at ${corpusDir}; skipping (pass --corpus DIR)`);
    return;
  }
  const only = argValue(args, '--only')?.split(',') ?? null;
  const worst = Number(argValue(args, '--worst') ?? 10);
  const pages = loadCorpus(corpusDir, only);
  const scores = pages.map((page) => {
    const { got, error } = runExtractor(page);
    return scorePage(page, got, error);
  });
  if (args.includes('--json')) {
    console.log(JSON.stringify(scores, null, 1));
    return;
  }
  const corpora = [...new Set(scores.map((score) => score.corpus))];
  for (const corpus of corpora) {
    const own = scores.filter((score) => score.corpus === corpus);
    console.log(summarize(corpus, own));
    const ranked = own.filter((score) => score.f1 !== null || score.firstWordsRecall !== null)
      .sort((a, b) => (a.f1 ?? a.firstWordsRecall ?? 0) - (b.f1 ?? b.firstWordsRecall ?? 0)).slice(0, worst);
    for (const score of ranked) {
      const metric = score.f1 !== null ? `F1=${fixed(score.f1)} P=${fixed(score.precision)} R=${fixed(score.recall)}` : `firstWords=${fixed(score.firstWordsRecall)}`;
      console.log(`    worst: ${score.id.padEnd(48)} ${metric}${score.error ? `  error: ${score.error}` : ''}`);
    }
    if (args.includes('--titles')) {
      for (const score of own.filter((entry) => entry.title === false)) {
        console.log(`    title miss: ${score.id}\n      expected: ${JSON.stringify(score.expectedTitle)}\n      got:      ${JSON.stringify(score.gotTitle)}`);
      }
    }
    if (args.includes('--authors')) {
      for (const score of own.filter((entry) => entry.author === false)) {
        console.log(`    author miss: ${score.id}\n      expected: ${JSON.stringify(score.expectedAuthors)}\n      got:      ${JSON.stringify(score.gotAuthors)}`);
      }
    }
  }
  console.log(summarize('overall', scores));
  console.log('body F1: word 4-gram shingles (Chinese/Japanese/Thai cut into words by Intl.Segmenter); titles compared after NFKC, whitespace collapsing, format characters dropped and quotes straightened');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
