/**
 * bench:stories — story clustering at archive scale. A synthetic wire of ~40 outlets where each event is covered
 * by 1-5 outlets (some copies syndicated word for word), events share vendors, actors, malware families and
 * some CVEs, and ~250 events happen a day. The archive grows to `--articles`; at each checkpoint a sample of
 * the next articles is timed one by one:
 *
 * - cluster: traits (MinHash, names) + candidate lookup + comparisons, i.e. "which story does it join";
 * - place: the same plus its writes (story row, member traits, index keys), inside the store's transaction;
 * - ingest: the whole `store.ingest` of one article (article row, FTS, tags, clustering, commit), a few only.
 *
 * The issue's goal is the cluster/place time at 1M articles "well under a millisecond"; the ratio to the
 * smallest checkpoint shows whether anything grows with the archive. CPU time (process.cpuUsage) is the
 * measure: the machine is shared, wall time swings with its load.
 *
 * The archive is built the lean way, so 1M articles take minutes, not hours: each article is a row with its
 * title and dates but no body (bodies and their full-text index do not take part in clustering; story_members
 * holds what clustering reads), placed by the story index exactly as an ingest places it, 5,000 per
 * transaction. Sampled articles go through the real `store.ingest`.
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
import { createStoryIndex, type StoryIndex } from '../src/store/stories.js';
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

/** An article row with its title and dates but no body (see the header). */
const leanInsert = (store: Store) =>
  store.db.prepare(
    `INSERT INTO articles (source_id, url, canonical_url, guid, title, published, first_seen, sort_date, feed_hash, content_hash)
     VALUES (@source, @url, @url, @guid, @title, @published, @published, @published, @feedHash, @contentHash)`,
  );

/**
 * Grows the archive to `target` articles the lean way (see the header): article rows without bodies, placed by
 * the story index, 5,000 per transaction. Returns articles per CPU second.
 */
function grow(store: Store, index: StoryIndex, stream: Generator<{ source: string; draft: ArticleDraft }>, target: number): number {
  const before = store.articleCount();
  const insert = leanInsert(store);
  const batch = store.db.transaction((count: number) => {
    for (let i = 0; i < count; i += 1) {
      const { source, draft } = stream.next().value as { source: string; draft: ArticleDraft };
      const info = insert.run({ source, url: draft.canonicalUrl, guid: draft.guid, title: draft.title, published: draft.published, feedHash: draft.feedHash, contentHash: draft.contentHash });
      index.place(Number(info.lastInsertRowid), draft.title, storyInput(draft), draft.published!);
    }
  });
  const cpu = process.cpuUsage();
  let stored = before;
  while (stored < target) {
    const count = Math.min(5000, target - stored);
    batch(count);
    stored += count;
    if (stored % 50_000 < 5000) process.stderr.write(`\r  ${stored} / ${target}`);
  }
  process.stderr.write('\n');
  const used = process.cpuUsage(cpu);
  return ((stored - before) * 1e6) / (used.user + used.system);
}

const storyInput = (draft: ArticleDraft) => ({ title: draft.title, text: draft.text ?? '', tags: draft.tags.map((x) => x.slug), date: Date.parse(draft.published!) });

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

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
  const results: { size: number; cpu: ReturnType<typeof summary>; place: ReturnType<typeof summary> }[] = [];
  const insert = leanInsert(store);
  const placeOne = store.db.transaction((draft: ArticleDraft, source: string, into: number[]) => {
    const info = insert.run({ source, url: draft.canonicalUrl, guid: draft.guid, title: draft.title, published: draft.published, feedHash: draft.feedHash, contentHash: draft.contentHash });
    const cpu = process.cpuUsage();
    index.place(Number(info.lastInsertRowid), draft.title, storyInput(draft), draft.published!);
    into.push(cpuMs(cpu));
  });
  for (const size of checkpoints) {
    const have = store.articleCount();
    if (have >= size + sampleSize) continue;
    const rate = have < size ? grow(store, index, stream, size) : null;
    const clusterCpu: number[] = [];
    const lookupCpu: number[] = [];
    const placeCpu: number[] = [];
    const ingest: number[] = [];
    for (let i = 0; i < sampleSize; i += 1) {
      const { source, draft } = stream.next().value as { source: string; draft: ArticleDraft };
      const cpu = process.cpuUsage();
      const traits = storyTraits(storyInput(draft), options);
      const traitsMs = cpuMs(cpu);
      index.findStory(traits);
      const clusterMs = cpuMs(cpu);
      clusterCpu.push(clusterMs);
      lookupCpu.push(clusterMs - traitsMs);
      // Every tenth sampled article goes through the whole ingest; the others are placed as the archive was built.
      if (i % 10 === 0) {
        const t = performance.now();
        store.ingest(source, [draft], fetchState(new Date().toISOString()));
        ingest.push(performance.now() - t);
      } else {
        placeOne(draft, source, placeCpu);
      }
    }
    results.push({ size, cpu: summary(clusterCpu), place: summary(placeCpu) });
    console.log(`${String(size).padStart(8)} articles`);
    console.log(`  cluster (CPU)        ${format(summary(clusterCpu))}`);
    console.log(`    of which lookup    ${format(summary(lookupCpu))}  (candidates and comparisons; the rest is MinHash and names)`);
    console.log(`  place (CPU)          ${format(summary(placeCpu))}  (cluster + story, member and key writes, before commit)`);
    console.log(`  ingest one (wall)    ${format(summary(ingest))}  (${ingest.length} articles: row, FTS, tags, clustering, commit)`);
    if (rate) console.log(`  lean build           ${rate.toFixed(0)} articles per CPU second`);
  }
  const stories = store.db.prepare('SELECT COUNT(*) FROM stories').pluck().get() as number;
  const sizes = store.db.prepare('SELECT article_count FROM stories ORDER BY article_count').pluck().all() as number[];
  const size = statSync(dbPath).size;
  console.log(`\nbench:stories — ${store.articleCount()} articles in ${stories} stories, database ${(size / 1024 / 1024).toFixed(0)} MB, load ${loadAverage()}`);
  console.log(`story sizes: p50 ${percentile(sizes, 50)}, p99 ${percentile(sizes, 99)}, largest ${sizes[sizes.length - 1]} (cap stories.maxArticles = ${options.maxArticles})`);
  const first = results[0];
  const last = results[results.length - 1];
  if (first && last && last !== first) {
    console.log(`cluster CPU p50 ${last.cpu.p50.toFixed(3)} ms at ${last.size} vs ${first.cpu.p50.toFixed(3)} ms at ${first.size}: ratio ${(last.cpu.p50 / first.cpu.p50).toFixed(2)}`);
    console.log(`place CPU p50 ${last.place.p50.toFixed(3)} ms at ${last.size} vs ${first.place.p50.toFixed(3)} ms at ${first.size}: ratio ${(last.place.p50 / first.place.p50).toFixed(2)}`);
  }
  console.log('goal: a new article joins or starts a story in well under a millisecond at 1M articles, with no growth with archive size');
  store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

main();
