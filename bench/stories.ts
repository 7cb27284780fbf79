/**
 * bench:stories — story clustering at archive scale. A synthetic wire of ~40 outlets where each event is covered
 * by 1-5 outlets (some copies syndicated word for word), events share vendors, actors, malware families and
 * some CVEs, and ~250 events happen a day. The archive grows to `--articles`; at each checkpoint a sample of
 * the next articles is timed one by one before being stored:
 *
 * - cluster: traits (MinHash, names) + candidate lookup + comparisons, i.e. "which story does it join";
 * - ingest: the whole `store.ingest` of that one article (article row, FTS, tags, clustering writes).
 *
 * The issue's goal is the cluster time at 1M articles "well under a millisecond"; the ratio to the smallest
 * checkpoint shows whether anything grows with the archive. The build reports the store's bulk ingest rate.
 *
 *   npm run bench:stories [-- --articles 1000000] [--checkpoints 10000,100000,1000000] [--sample 1000] [--db FILE]
 *
 * With `--db FILE` the archive is kept and a later run continues from the articles already there (the
 * generator is deterministic per event), so the 1M archive is built once.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { storyTraits } from '../src/similarity/index.js';
import type { ArticleDraft } from '../src/store/types.js';
import { createStoryIndex } from '../src/store/stories.js';
import { DEFAULT_STORE_STORY_OPTIONS, openStore, type Store } from '../src/store/store.js';
import type { Tag } from '../src/types.js';
import { loadAverage } from './support/machine.js';
import { pseudoLexicon } from './support/prose.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    checkpoints: { type: 'string' },
    sample: { type: 'string', default: '1000' },
    db: { type: 'string' },
  },
});
const articleCount = Number(values.articles);
const sampleSize = Number(values.sample);
const checkpoints = (values.checkpoints ?? '10000,100000,1000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0 && n < articleCount)
  .concat(articleCount);

/** Small deterministic PRNG (mulberry32): each event has its own stream, so any event can be regenerated alone. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const OUTLETS = Array.from({ length: 40 }, (_, i) => `outlet-${i}`);
const VENDORS = ['microsoft', 'fortinet', 'ivanti', 'cisco', 'citrix', 'palo-alto-networks', 'vmware', 'apple', 'google', 'oracle', 'sap', 'atlassian', 'juniper', 'sonicwall', 'progress'];
const ACTORS = ['apt29', 'apt28', 'lazarus-group', 'sandworm-team', 'volt-typhoon', 'scattered-spider', 'fin7', 'kimsuky', 'apt41', 'turla'];
const MALWARE = ['lockbit', 'blackcat', 'qilin', 'akira', 'play', 'clop', 'smokeloader', 'qakbot', 'emotet', 'cobalt-strike'];
const INCIDENTS = ['ransomware', 'data-breach', 'phishing', 'ddos', 'zero-day', 'patch-release', 'espionage'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ret', 'sun', 'dor', 'vex', 'tal', 'pri', 'on', 'ex', 'ul', 'zen', 'qua', 'bri', 'tor', 'nav', 'hel'];
/** A made-up proper name: victims and products are rarely in any gazetteer. */
function name(random: () => number): string {
  const parts = 3 + Math.floor(random() * 2);
  const word = Array.from({ length: parts }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
  return word[0]!.toUpperCase() + word.slice(1);
}
const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
/** Ordinary lower-case words: a big vocabulary so that two events' texts share few 3-word shingles, as in real news. */
const LEXICON = pseudoLexicon(SYLLABLES, 20_000);
const COMMON = 'the a of to and in that said its was for on with by as were after which it from at'.split(' ');
/** A sentence of `count` words, about a third of them everyday function words. */
const sentence = (random: () => number, count: number): string =>
  Array.from({ length: count }, () => (random() < 0.35 ? pick(random, COMMON) : pick(random, LEXICON))).join(' ') + '.';
const tag = (type: Tag['type'], value: string): Tag => ({ type, value, slug: `${type}:${value}`, name: value });

const START = Date.UTC(2022, 0, 1);
const EVENTS_PER_DAY = 250;

interface Event {
  articles: { source: string; title: string; text: string; published: string; tags: Tag[] }[];
}

function makeEvent(index: number): Event {
  const random = rng(index * 2_654_435_761 + 1);
  const date = START + Math.floor((index / EVENTS_PER_DAY) * 86_400_000);
  const victim = `${name(random)} ${name(random)}`;
  const product = name(random);
  const vendor = pick(random, VENDORS);
  const incident = pick(random, INCIDENTS);
  const year = 2022 + Math.floor(index / (EVENTS_PER_DAY * 365));
  // Popular CVEs are covered again by later, different events; most are unique to one.
  const cve = random() < 0.5 ? (random() < 0.3 ? `cve-${year}-${1000 + Math.floor(random() * 200)}` : `cve-${year}-${10_000 + index}`) : null;
  const tags = [tag('vendor', vendor), tag('incident', incident), tag('product', product.toLowerCase())];
  if (cve) tags.push(tag('cve', cve));
  if (random() < 0.2) tags.push(tag('actor', pick(random, ACTORS)));
  if (random() < 0.25) tags.push(tag('malware', pick(random, MALWARE)));
  // What every outlet reports of the event: the same facts, named the same way, worded alike.
  const facts = [
    `${victim} ${sentence(random, 14)}${cve ? ` ${cve.toUpperCase()}.` : ''}`,
    `${product} ${sentence(random, 12)}`,
    `${sentence(random, 6)} ${victim} ${sentence(random, 10)}`,
  ];
  const outlets = [...OUTLETS].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * random() * 5));
  const articles = outlets.map((source, n) => {
    const filler = Array.from({ length: 6 }, () => sentence(random, 15)).join(' ');
    const headline = pick(random, [`${victim} confirms ${incident} hitting ${product}`, `${product} outage at ${victim} traced to ${vendor} flaw`, `${victim} hit by ${incident}, ${product} offline`]);
    const syndicated = n > 0 && random() < 0.15;
    const text = syndicated ? `${facts.join(' ')} ${filler}` : `${[...facts].sort(() => random() - 0.5).join(' ')} ${filler}`;
    const published = new Date(date + Math.floor(random() * 36 * 3_600_000)).toISOString();
    return { source, title: headline, text, published, tags: [...tags, tag('source', source)] };
  });
  return { articles };
}

/** Drafts in archive order from article number `from` on (events are regenerated until `from` is reached). */
function* drafts(from: number): Generator<{ source: string; draft: ArticleDraft }> {
  let number = 0;
  for (let event = 0; ; event += 1) {
    const { articles } = makeEvent(event);
    for (const [n, article] of articles.entries()) {
      if (number >= from) {
        const url = `https://${article.source}.example/news/${event}-${n}`;
        yield {
          source: article.source,
          draft: {
            itemKey: `guid:${event}-${n}`,
            guid: `${event}-${n}`,
            url,
            canonicalUrl: url,
            title: article.title,
            authors: [],
            published: article.published,
            publishedSource: 'feed',
            feedPublished: article.published,
            updated: null,
            lang: 'en',
            image: null,
            summary: null,
            text: article.text,
            html: null,
            feedHash: `f${event}-${n}`,
            contentHash: `c${event}-${n}`,
            extractError: null,
            tags: article.tags,
            iocs: [],
          },
        };
      }
      number += 1;
    }
  }
}

const fetchState = (at: string) => ({ at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'bench', durationMs: 0 });

/** Stores articles until the archive holds `target`, a feed-sized batch per source at a time. Returns articles/s. */
function grow(store: Store, stream: Generator<{ source: string; draft: ArticleDraft }>, target: number): number {
  const before = store.articleCount();
  const started = performance.now();
  let stored = before;
  while (stored < target) {
    const batch = new Map<string, ArticleDraft[]>();
    for (let i = 0; i < 500 && stored < target; i += 1, stored += 1) {
      const { source, draft } = stream.next().value as { source: string; draft: ArticleDraft };
      batch.set(source, [...(batch.get(source) ?? []), draft]);
    }
    const at = new Date().toISOString();
    for (const [source, list] of batch) store.ingest(source, list, fetchState(at));
    if (stored % 20_000 < 500) process.stderr.write(`\r  ${stored} / ${target}`);
  }
  process.stderr.write('\n');
  return ((store.articleCount() - before) * 1000) / (performance.now() - started);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

const format = (s: { p50: number; p95: number; p99: number }): string => `p50 ${s.p50.toFixed(3)}  p95 ${s.p95.toFixed(3)}  p99 ${s.p99.toFixed(3)} ms`;

function main(): void {
  const dir = values.db ? null : mkdtempSync(join(tmpdir(), 'secwire-bench-stories-'));
  const dbPath = values.db ?? join(dir!, 'archive.db');
  if (values.db && existsSync(dbPath)) process.stderr.write(`reusing ${dbPath}\n`);
  const store = openStore(dbPath);
  store.syncSources(OUTLETS.map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
  const options = DEFAULT_STORE_STORY_OPTIONS;
  const index = createStoryIndex(store.db, options);
  const stream = drafts(store.articleCount());
  const results: { size: number; cluster: ReturnType<typeof summary>; cpu: ReturnType<typeof summary>; ingest: ReturnType<typeof summary>; rate: number | null }[] = [];
  for (const size of checkpoints) {
    const have = store.articleCount();
    if (have >= size + sampleSize) continue;
    const rate = have < size ? grow(store, stream, size) : null;
    const cluster: number[] = [];
    const clusterCpu: number[] = [];
    const lookupCpu: number[] = [];
    const ingest: number[] = [];
    for (let i = 0; i < sampleSize; i += 1) {
      const { source, draft } = stream.next().value as { source: string; draft: ArticleDraft };
      const cpu = process.cpuUsage();
      let t = performance.now();
      const traits = storyTraits({ title: draft.title, text: draft.text ?? '', tags: draft.tags.map((x) => x.slug), date: Date.parse(draft.published!) }, options);
      const traitsUsed = process.cpuUsage(cpu);
      index.findStory(traits);
      cluster.push(performance.now() - t);
      const used = process.cpuUsage(cpu);
      clusterCpu.push((used.user + used.system) / 1000);
      lookupCpu.push((used.user + used.system - traitsUsed.user - traitsUsed.system) / 1000);
      t = performance.now();
      store.ingest(source, [draft], fetchState(new Date().toISOString()));
      ingest.push(performance.now() - t);
    }
    results.push({ size, cluster: summary(cluster), cpu: summary(clusterCpu), ingest: summary(ingest), rate });
    console.log(`${String(size).padStart(8)} articles`);
    console.log(`  cluster (wall)       ${format(summary(cluster))}`);
    console.log(`  cluster (CPU)        ${format(summary(clusterCpu))}`);
    console.log(`    of which lookup    ${format(summary(lookupCpu))}  (candidates and comparisons; the rest is MinHash and names)`);
    console.log(`  ingest one (wall)    ${format(summary(ingest))}`);
    if (rate) console.log(`  bulk ingest          ${rate.toFixed(0)} articles/s`);
  }
  const stories = store.db.prepare('SELECT COUNT(*) FROM stories').pluck().get() as number;
  const size = statSync(dbPath).size;
  console.log(`\nbench:stories — ${store.articleCount()} articles in ${stories} stories, database ${(size / 1024 / 1024).toFixed(0)} MB, load ${loadAverage()}`);
  const first = results[0];
  const last = results[results.length - 1];
  if (first && last && last !== first) {
    console.log(`cluster CPU p50 ${last.cpu.p50.toFixed(3)} ms at ${last.size} vs ${first.cpu.p50.toFixed(3)} ms at ${first.size}: ratio ${(last.cpu.p50 / first.cpu.p50).toFixed(2)}`);
    console.log(`cluster wall p50 ${last.cluster.p50.toFixed(3)} ms at ${last.size} vs ${first.cluster.p50.toFixed(3)} ms at ${first.size}: ratio ${(last.cluster.p50 / first.cluster.p50).toFixed(2)}`);
  }
  console.log('goal: a new article joins or starts a story in well under a millisecond at 1M articles, with no growth with archive size');
  store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

main();
