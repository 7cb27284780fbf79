/**
 * Story clustering eval (`npm run eval:stories`).
 *
 *   node dist/scripts/eval-stories.js [--corpus DIR] [--samples N]
 *
 * 1. The labelled set test/fixtures/stories/labelled.yaml and the fixture site's story groups: pairwise
 *    precision and recall of the stories the store makes (goals: precision >= 0.97, recall >= 0.90).
 * 2. DIR/feeds/security-real/cyberdash/cybersecnews-json (default DIR: ../shared/corpus next to the
 *    repository): 19 snapshots of a merged security wire, ingested in order as one source. Prints how many
 *    entries the naive wire shows (every entry of every snapshot, and distinct items), how many stories
 *    secwire makes, and a sample of merged stories for a human to read. Skipped when the corpus is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedBodyText, loadFixtureData } from '../src/demo/fixture-data.js';
import { buildDraft, identifyItem } from '../src/store/draft.js';
import { openStore } from '../src/store/store.js';
import { createTagger } from '../src/tagging/index.js';
import type { FeedItem } from '../src/types.js';
import { clusterLabelled, loadLabelledSet, pairwiseScore, type LabelledArticle, type TagFn } from './lib/story-eval.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function report(name: string, articles: LabelledArticle[], tag: TagFn): boolean {
  const assigned = clusterLabelled(articles, tag);
  const score = pairwiseScore(articles, assigned);
  const stories = new Set(assigned.values()).size;
  const events = new Set(articles.map((a) => a.event)).size;
  console.log(`${name}: ${articles.length} articles, ${events} labelled events, ${stories} stories`);
  console.log(`  pairwise precision ${score.precision.toFixed(3)} (${score.truePairs}/${score.truePairs + score.falsePairs}), recall ${score.recall.toFixed(3)} (${score.truePairs}/${score.truePairs + score.missedPairs})`);
  for (const [a, b] of score.falseMerges) console.log(`  false merge: ${a} + ${b}`);
  for (const [a, b] of score.missedMerges) console.log(`  missed merge: ${a} + ${b}`);
  return score.precision >= 0.97 && score.recall >= 0.9;
}

interface SnapshotItem {
  title: string;
  link: string;
  summary?: string;
  published?: string;
}

function corpusRun(dir: string, tag: TagFn, samples: number): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const store = openStore(':memory:');
  store.syncSources([{ id: 'cybersecnews', name: 'cybersecnews', url: 'https://cybersecnews.example/feed.json', schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' }]);
  let entries = 0;
  const started = process.hrtime.bigint();
  for (const file of files) {
    const items = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as SnapshotItem[];
    entries += items.length;
    const at = `${file.match(/__(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})/)?.slice(1).join(':').replace(/^(\d{4}-\d{2}-\d{2}):/, '$1T') ?? '2025-07-24T00:00:00'}Z`;
    const drafts = items.map((raw) => {
      const item: FeedItem = { id: null, title: raw.title, link: raw.link, published: raw.published ? new Date(raw.published).toISOString() : null, updated: null, authors: [], summary: raw.summary ?? null, content: null, categories: [], enclosures: [] };
      const identity = identifyItem('cybersecnews', item);
      return buildDraft({ identity, item, extracted: null, extractError: null, feedText: item.summary ?? '', feedHtml: null, summary: item.summary, tags: tag(item.title, item.summary ?? ''), iocs: [] });
    });
    const unique = [...new Map(drafts.map((d) => [d.itemKey, d])).values()];
    store.ingest('cybersecnews', unique, { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'eval', durationMs: 0 });
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const articles = store.articleCount();
  const all = store.stories({ limit: 100_000 }).stories;
  const merged = all.filter((s) => s.articles.length > 1);
  console.log(`\ncybersecnews-json: ${files.length} snapshots`);
  console.log(`  naive wire: ${entries} entries over all snapshots, ${articles} distinct articles`);
  console.log(`  secwire: ${all.length} stories (${merged.length} with more than one article, ${articles - all.length} articles folded into another's story)`);
  console.log(`  ingest + tag + cluster of all snapshots: ${ms.toFixed(0)} ms`);
  console.log(`\n  sample merges (${Math.min(samples, merged.length)} of ${merged.length}):`);
  for (const story of merged.slice(0, samples)) {
    console.log(`  story ${story.id}: ${story.title}`);
    for (const member of story.articles) console.log(`    - ${member.title}  <${member.url}>${member.duplicateOf ? ` (copy of ${member.duplicateOf})` : ''}`);
  }
  store.close();
}

function main(): void {
  const tagger = createTagger();
  const tag: TagFn = (title, text) => tagger.tag({ title, text }).tags;
  const labelled = loadLabelledSet(path.join(root, 'test/fixtures/stories/labelled.yaml'));
  const labelledOk = report('labelled set (test/fixtures/stories)', labelled, tag);
  const data = loadFixtureData();
  const site: LabelledArticle[] = data.articles.map((a) => ({ id: `${a.outlet}/${a.slug}`, event: a.event, source: a.outlet, published: a.published, title: a.title, text: expectedBodyText(a) }));
  report('fixture site story groups (fixtures/site)', site, tag);
  console.log(labelledOk ? 'labelled set: goals met' : 'labelled set: goals NOT met');
  const corpus = argument('--corpus') ?? path.join(root, '..', 'shared', 'corpus');
  const dir = path.join(corpus, 'feeds', 'security-real', 'cyberdash', 'cybersecnews-json');
  if (!existsSync(dir)) {
    console.log(`\ncorpus not found at ${dir}: skipping the cybersecnews run (pass --corpus DIR)`);
  } else {
    corpusRun(dir, tag, Number(argument('--samples') ?? 12));
  }
  if (!labelledOk) process.exitCode = 1;
}

main();
