/**
 * `npm run bench:tag [-- --corpus DIR]`: articles/s of the tagger on the CASIE texts, on one core (this
 * process, no workers), after start-up; start-up (data load + matcher build) reported separately.
 * Baseline in the same run: one case-insensitive regex per name (a naive matcher) on a sample of the texts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTagger } from '../src/tagging/index.js';
import { loadTagData } from '../src/tagging/data.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), import.meta.url.includes('/dist/') ? '../..' : '..');
/** Passes over the corpus: enough for a stable rate on a noisy shared machine without a long run. */
const PASSES = 3;
const BASELINE_SAMPLE = 20;

function main(): void {
  const argv = process.argv.slice(2);
  const flag = argv.indexOf('--corpus');
  const corpus = flag >= 0 && argv[flag + 1] ? resolve(argv[flag + 1] as string) : resolve(repoRoot, '../shared/corpus/tagging');
  const path = join(corpus, 'casie/gold-dev.jsonl');
  if (!existsSync(path)) {
    process.stdout.write(`bench:tag skipped: ${path} not found (pass --corpus DIR)\n`);
    return;
  }
  const docs = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { title: string | null; text: string });

  const started = performance.now();
  const tagger = createTagger();
  const startup = performance.now() - started;

  let tags = 0;
  const t0 = performance.now();
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const doc of docs) tags += tagger.tag({ title: doc.title ?? '', text: doc.text }).tags.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const rate = (docs.length * PASSES) / seconds;

  // Naive baseline: every alias as its own regex over the text.
  const data = loadTagData();
  const escape = (alias: string): string => alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [...data.entities.actors, ...data.entities.malware, ...data.vendors.vendors].flatMap((record) =>
    [...record.a, ...(record.w ?? [])].map((alias) => new RegExp(`\\b${escape(alias)}\\b`, 'i')),
  );
  const b0 = performance.now();
  let baselineHits = 0;
  for (const doc of docs.slice(0, BASELINE_SAMPLE)) for (const pattern of patterns) if (pattern.test(doc.text)) baselineHits += 1;
  const baselineRate = BASELINE_SAMPLE / ((performance.now() - b0) / 1000);

  const chars = docs.reduce((sum, doc) => sum + doc.text.length, 0) / docs.length;
  process.stdout.write(`CASIE texts: ${docs.length} articles, ${chars.toFixed(0)} chars on average, ${PASSES} passes\n`);
  process.stdout.write(`start-up (load data + build matchers): ${startup.toFixed(0)} ms\n`);
  process.stdout.write(`tagger:   ${rate.toFixed(0)} articles/s (${(tags / PASSES / docs.length).toFixed(1)} tags per article)\n`);
  process.stdout.write(`baseline: ${baselineRate.toFixed(0)} articles/s (one regex per name, ${patterns.length} names, ${baselineHits} hits on ${BASELINE_SAMPLE})\n`);
  process.stdout.write(`ratio:    ${(rate / baselineRate).toFixed(1)}x the baseline; goal 2000 articles/s ${rate >= 2000 ? 'met' : 'NOT met'}\n`);
}

main();
