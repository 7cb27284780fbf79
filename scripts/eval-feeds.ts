/**
 * Robustness and agreement run of the feed parser over the shared corpus (`npm run eval:feeds`).
 *
 *   node dist/scripts/eval-feeds.js [--corpus DIR] [--verbose]
 *
 * DIR is the corpus root (default ../shared/corpus next to the repository); feeds are read from DIR/feeds.
 * Every feed file is decoded (decodeBody, no Content-Type) and parsed (parseFeed); we count parsed / NotAFeed /
 * ParseError / Decode / crashes (anything that is not a SecwireError: must be 0). Where the corpus carries
 * another parser's expected output (gofeed testdata `X.xml` + `X.json` or `X_expected.json`, rss-parser
 * `input/` + `output/`, feed-rs `X.xml` + `X.serde.json`), item counts, titles, links and published
 * instants are compared. For the real security feeds in
 * security-real/cyberdash the share of items with a parsed date is printed (goal 100%).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSecwireError } from '../src/errors.js';
import { decodeBody } from '../src/fetchers/charset.js';
import { parseFeed } from '../src/fetchers/parse/index.js';
import type { FeedItem, ParsedFeed } from '../src/types.js';

interface Options {
  corpus: string;
  verbose: boolean;
}

interface ExpectedItem {
  title: string | null;
  link: string | null;
  /** A UTC instant the other parser computed (gofeed publishedParsed, feed-rs published). */
  published: string | null;
}

type Outcome = { kind: 'parsed'; feed: ParsedFeed } | { kind: 'error'; errorKind: string; message: string } | { kind: 'crash'; message: string };

interface Agreement {
  files: number;
  countAgree: number;
  titlesCompared: number;
  titlesAgree: number;
  linksCompared: number;
  linksAgree: number;
  datesCompared: number;
  datesAgree: number;
}

const FEED_EXTENSIONS = new Set(['.xml', '.rss', '.atom', '.rdf', '.json', '.html', '.htm', '.txt', '']);
/** Lists of articles, not feeds: they belong to the dedupe runs, not to this one. */
const NOT_FEEDS_DIRECTORIES = ['security-real/cyberdash/cybersecnews-json'];

function parseArguments(argv: string[]): Options {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  let corpus = path.resolve(repoRoot, '..', 'shared', 'corpus');
  let verbose = false;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--corpus') {
      const value = argv[index + 1];
      if (value === undefined) throw new Error('--corpus needs a directory');
      corpus = path.resolve(value);
      index += 1;
    } else if (argument === '--verbose') {
      verbose = true;
    } else {
      throw new Error(`unknown argument ${argument ?? ''} (usage: eval-feeds [--corpus DIR] [--verbose])`);
    }
  }
  return { corpus, verbose };
}

function walk(directory: string): string[] {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => {
      const full = path.join(directory, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
}

/** Another parser's expected output for this input, when the corpus has one. */
function expectedOutputPath(file: string, feedsRoot: string): string | null {
  const relative = path.relative(feedsRoot, file);
  const extension = path.extname(file);
  const stem = file.slice(0, file.length - extension.length);
  if (relative.startsWith(`rss-parser${path.sep}input${path.sep}`)) {
    const output = path.join(feedsRoot, 'rss-parser', 'output', `${path.basename(stem)}.json`);
    return existsSync(output) ? output : null;
  }
  if (relative.startsWith(`feed-rs${path.sep}`)) {
    const serde = `${stem}.serde.json`;
    return existsSync(serde) ? serde : null;
  }
  if (relative.startsWith(`gofeed${path.sep}`)) {
    for (const candidate of extension === '.json' ? [`${stem}_expected.json`] : [`${stem}.json`]) {
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

function isInput(file: string, feedsRoot: string, expectedOutputs: Set<string>): boolean {
  const relative = path.relative(feedsRoot, file);
  if (/^LICENSE/i.test(path.basename(file))) return false;
  if (!FEED_EXTENSIONS.has(path.extname(file).toLowerCase())) return false;
  if (relative.startsWith(`rss-parser${path.sep}output${path.sep}`)) return false;
  if (NOT_FEEDS_DIRECTORIES.some((directory) => relative.startsWith(directory))) return false;
  return !expectedOutputs.has(file);
}

async function parseFile(file: string, feedsRoot: string): Promise<Outcome> {
  try {
    const text = decodeBody(readFileSync(file), null);
    const feed = await parseFeed(text, `http://fakehost/${path.relative(feedsRoot, file).split(path.sep).join('/')}`);
    return { kind: 'parsed', feed };
  } catch (error) {
    if (isSecwireError(error)) return { kind: 'error', errorKind: error.kind, message: error.message };
    return { kind: 'crash', message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** gofeed (rss: items/link, atom: entries/links, universal and JSON: items/link or url) and rss-parser shapes. */
function expectedItems(outputFile: string): ExpectedItem[] | null {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    return null;
  }
  const root = isRecord(document) && isRecord(document['feed']) ? document['feed'] : document;
  if (!isRecord(root)) return null;
  const items = Array.isArray(root['items']) ? root['items'] : Array.isArray(root['entries']) ? root['entries'] : [];
  return items.filter(isRecord).map((item) => ({
    title: isRecord(item['title']) ? stringOrNull(item['title']['content']) : stringOrNull(item['title']),
    link: expectedLink(item),
    published: stringOrNull(item['publishedParsed']) ?? (/^\d{4}-\d\d-\d\dT.*Z$/.test(stringOrNull(item['published']) ?? '') ? stringOrNull(item['published']) : null),
  }));
}

function expectedLink(item: Record<string, unknown>): string | null {
  const direct = stringOrNull(item['link']) ?? stringOrNull(item['url']);
  if (direct !== null) return direct;
  const links = Array.isArray(item['links']) ? item['links'] : [];
  for (const link of links) {
    if (typeof link === 'string') return link;
    if (isRecord(link) && (link['rel'] === undefined || link['rel'] === null || link['rel'] === 'alternate')) return stringOrNull(link['href']);
  }
  return null;
}

function normaliseTitle(title: string): string {
  return title.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

function sameLink(ours: string | null, expected: string, base: string): boolean {
  if (ours === null) return false;
  try {
    return ours === expected || ours === new URL(expected, base).href;
  } catch {
    return false;
  }
}

function compare(agreement: Agreement, ours: FeedItem[], expected: ExpectedItem[], base: string, notes: string[]): void {
  agreement.files += 1;
  if (ours.length === expected.length) agreement.countAgree += 1;
  else notes.push(`count ${ours.length} vs ${expected.length}`);
  expected.forEach((item, index) => {
    const mine = ours[index];
    if (item.title !== null && item.title.trim() !== '') {
      agreement.titlesCompared += 1;
      if (mine && normaliseTitle(mine.title) === normaliseTitle(item.title)) agreement.titlesAgree += 1;
      else notes.push(`title ${JSON.stringify(mine?.title)} vs ${JSON.stringify(item.title)}`);
    }
    if (item.link !== null && item.link.trim() !== '') {
      agreement.linksCompared += 1;
      if (sameLink(mine?.link ?? null, item.link.trim(), base)) agreement.linksAgree += 1;
      else notes.push(`link ${JSON.stringify(mine?.link)} vs ${JSON.stringify(item.link)}`);
    }
    if (item.published !== null) {
      agreement.datesCompared += 1;
      if (mine?.published && Date.parse(mine.published) === Date.parse(item.published)) agreement.datesAgree += 1;
      else notes.push(`published ${JSON.stringify(mine?.published)} vs ${JSON.stringify(item.published)}`);
    }
  });
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}% (${part}/${whole})`;
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const feedsRoot = path.join(options.corpus, 'feeds');
  if (!existsSync(feedsRoot)) {
    console.log(`eval-feeds: skipped, no corpus at ${feedsRoot} (give one with --corpus DIR)`);
    return;
  }

  const allFiles = walk(feedsRoot);
  const expectedFor = new Map<string, string>();
  for (const file of allFiles) {
    const expected = expectedOutputPath(file, feedsRoot);
    if (expected !== null) expectedFor.set(file, expected);
  }
  const expectedOutputs = new Set(expectedFor.values());
  const inputs = allFiles.filter((file) => isInput(file, feedsRoot, expectedOutputs));

  const counts = new Map<string, number>();
  const byFormat = new Map<string, number>();
  const crashes: string[] = [];
  const failures: string[] = [];
  let items = 0;
  const agreementBySuite = new Map<string, Agreement>();
  const disagreements: string[] = [];
  const dated = new Map<string, { items: number; dated: number }>();

  for (const file of inputs) {
    const relative = path.relative(feedsRoot, file);
    const outcome = await parseFile(file, feedsRoot);
    const label = outcome.kind === 'error' ? outcome.errorKind : outcome.kind;
    counts.set(label, (counts.get(label) ?? 0) + 1);
    if (outcome.kind === 'crash') crashes.push(`${relative}: ${outcome.message}`);
    if (outcome.kind === 'error') failures.push(`${relative}: ${outcome.errorKind}: ${outcome.message}`);

    const ours = outcome.kind === 'parsed' ? outcome.feed.items : [];
    if (outcome.kind === 'parsed') {
      items += ours.length;
      byFormat.set(outcome.feed.format, (byFormat.get(outcome.feed.format) ?? 0) + 1);
    }

    const expectedFile = expectedFor.get(file);
    const expected = expectedFile !== undefined ? expectedItems(expectedFile) : null;
    if (expected !== null) {
      const suite = relative.split(path.sep).slice(0, relative.startsWith('gofeed') ? 3 : 2).join('/');
      const agreement = agreementBySuite.get(suite) ?? { files: 0, countAgree: 0, titlesCompared: 0, titlesAgree: 0, linksCompared: 0, linksAgree: 0, datesCompared: 0, datesAgree: 0 };
      agreementBySuite.set(suite, agreement);
      const notes: string[] = [];
      compare(agreement, ours, expected, `http://fakehost/${relative.split(path.sep).join('/')}`, notes);
      if (notes.length > 0) disagreements.push(`${relative}: ${outcome.kind === 'error' ? `${outcome.errorKind}; ` : ''}${notes.slice(0, 3).join('; ')}`);
    }

    if (relative.startsWith(`security-real${path.sep}cyberdash${path.sep}`) && outcome.kind === 'parsed') {
      dated.set(path.basename(file), { items: ours.length, dated: ours.filter((item) => item.published !== null).length });
    }
  }

  console.log(`eval-feeds: ${inputs.length} feed files under ${feedsRoot}`);
  console.log(`  outcomes: ${[...counts.entries()].map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
  console.log(`  crashes (not a SecwireError): ${crashes.length}`);
  console.log(`  formats: ${[...byFormat.entries()].map(([format, count]) => `${format} ${count}`).join(', ')}`);
  console.log(`  items parsed: ${items}`);

  console.log('\nagreement with the expected outputs in the corpus:');
  const total: Agreement = { files: 0, countAgree: 0, titlesCompared: 0, titlesAgree: 0, linksCompared: 0, linksAgree: 0, datesCompared: 0, datesAgree: 0 };
  for (const [suite, agreement] of [...agreementBySuite.entries()].sort()) {
    console.log(`  ${suite.padEnd(30)} files ${String(agreement.files).padStart(4)}  item count ${percent(agreement.countAgree, agreement.files)}  titles ${percent(agreement.titlesAgree, agreement.titlesCompared)}  links ${percent(agreement.linksAgree, agreement.linksCompared)}  dates ${percent(agreement.datesAgree, agreement.datesCompared)}`);
    for (const key of Object.keys(total) as (keyof Agreement)[]) total[key] += agreement[key];
  }
  console.log(`  ${'all'.padEnd(30)} files ${String(total.files).padStart(4)}  item count ${percent(total.countAgree, total.files)}  titles ${percent(total.titlesAgree, total.titlesCompared)}  links ${percent(total.linksAgree, total.linksCompared)}  dates ${percent(total.datesAgree, total.datesCompared)}`);

  console.log('\nsecurity-real/cyberdash, items with a parsed date:');
  let datedItems = 0;
  let allItems = 0;
  for (const [name, stats] of dated) {
    console.log(`  ${name.padEnd(56)} ${percent(stats.dated, stats.items)}`);
    datedItems += stats.dated;
    allItems += stats.items;
  }
  console.log(`  ${'all'.padEnd(56)} ${percent(datedItems, allItems)}`);

  if (options.verbose) {
    console.log('\nfailures:');
    for (const line of failures) console.log(`  ${line}`);
    console.log('\ndisagreements (first three per file):');
    for (const line of disagreements) console.log(`  ${line}`);
  }
  if (crashes.length > 0) {
    console.log('\ncrashes:');
    for (const line of crashes) console.log(`  ${line}`);
    process.exitCode = 1;
  }
}

await main();
