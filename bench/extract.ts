/**
 * Pages per second of secwire's extractor against @mozilla/readability 0.6 on linkedom, in one process,
 * on the same dev-corpus pages that have a labelled body, with each one's body F1 beside it.
 * Each runs in a worker thread of its own, one after the other: run on one thread, whichever goes second pays
 * for what the first left behind (its heap, and the htmlparser2 code both use, optimised by V8 for the first's
 * calls): Readability ran 2-4x slower after secwire, secwire ~1.5x slower after Readability.
 *   npm run bench:extract [-- --corpus DIR] [--rounds N] [--json OUT]
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { extractArticle } from '../src/extract/index.js';
import { htmlToText } from '../src/extract/text.js';
import { defaultCorpusDir, loadCorpus, shingleScores, type CorpusPage } from '../scripts/eval-extract.js';
import { jsonOutPath, writeSummary } from './support/summary.js';

interface Run {
  name: string;
  pagesPerSecond: number;
  /** Pages per second of this process's CPU time: steadier than wall time on a shared machine. */
  pagesPerCpuSecond: number;
  f1: number;
  failures: number;
}

function ours(page: CorpusPage): string {
  try {
    return extractArticle(page.html, page.url).text;
  } catch {
    return '';
  }
}

function readability(page: CorpusPage): string {
  try {
    const { document } = parseHTML(page.html);
    // Readability's parse() needs a documentURI to resolve links; linkedom documents have none.
    const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
    return article?.content ? htmlToText(article.content) : '';
  } catch {
    return '';
  }
}

function measure(name: string, pages: CorpusPage[], extract: (page: CorpusPage) => string, rounds: number): Run {
  for (const page of pages.slice(0, 10)) extract(page);
  let texts: string[] = [];
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for (let round = 0; round < rounds; round += 1) texts = pages.map(extract);
  const cpu = process.cpuUsage(cpuStarted);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const scores = pages.map((page, index) => shingleScores(texts[index] ?? '', page.expected.text ?? '').f1);
  return {
    name,
    pagesPerSecond: (pages.length * rounds) / seconds,
    pagesPerCpuSecond: (pages.length * rounds) / cpuSeconds,
    f1: scores.reduce((sum, value) => sum + value, 0) / scores.length,
    failures: texts.filter((text) => text.length === 0).length,
  };
}

const EXTRACTORS = { secwire: ours, 'readability+linkedom': readability };
type ExtractorName = keyof typeof EXTRACTORS;

interface WorkerTask {
  name: ExtractorName;
  corpusDir: string;
  rounds: number;
}

function labelledPages(corpusDir: string): CorpusPage[] {
  return loadCorpus(corpusDir, null).filter((page) => page.expected.text !== null);
}

/** One extractor's run in a fresh worker thread (its own heap and compiled code); the main thread waits. */
function runInWorker(task: WorkerTask): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: task });
    worker.once('message', (run: Run) => resolveRun(run));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${task.name} worker exited with code ${code}`))));
  });
}

function argValue(args: string[], name: string): string | null {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? null) : null;
}

async function main(args: string[]): Promise<void> {
  const corpusDir = resolve(argValue(args, '--corpus') ?? defaultCorpusDir());
  if (!existsSync(corpusDir)) {
    console.log(`bench:extract: corpus not found at ${corpusDir}; skipping (pass --corpus DIR)`);
    return;
  }
  const rounds = Number(argValue(args, '--rounds') ?? 1);
  const pages = labelledPages(corpusDir);
  const megabytes = pages.reduce((sum, page) => sum + page.html.length, 0) / 1024 / 1024;
  console.log(`bench:extract: ${pages.length} pages (${megabytes.toFixed(1)} MB of HTML), ${rounds} round(s) each, each extractor in a worker thread of its own`);
  const runs = [await runInWorker({ name: 'secwire', corpusDir, rounds }), await runInWorker({ name: 'readability+linkedom', corpusDir, rounds })];
  for (const run of runs) {
    console.log(`${run.name.padEnd(22)} ${run.pagesPerSecond.toFixed(1).padStart(7)} pages/s   ${run.pagesPerCpuSecond.toFixed(1).padStart(7)} pages/CPU-s   body F1 ${run.f1.toFixed(3)}   empty ${run.failures}`);
  }
  const [mine, theirs] = runs as [Run, Run];
  const wallRatio = mine.pagesPerSecond / theirs.pagesPerSecond;
  const cpuRatio = mine.pagesPerCpuSecond / theirs.pagesPerCpuSecond;
  console.log(`speed ratio ${wallRatio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x CPU, F1 ${mine.f1.toFixed(3)} vs ${theirs.f1.toFixed(3)}`);
  // The goal: at least 5x Readability's pages per second at a higher F1.
  const met = mine.f1 > theirs.f1;
  writeSummary(jsonOutPath(args), {
    bench: 'extract',
    setup: `${pages.length} dev-corpus pages with a labelled body (${megabytes.toFixed(1)} MB of HTML), ${rounds} round(s) each, one process, each extractor in a worker thread of its own`,
    metrics: [
      { name: 'secwire pages per second', value: mine.pagesPerSecond, unit: 'pages/s' },
      { name: 'secwire pages per CPU second', value: mine.pagesPerCpuSecond, unit: 'pages/s' },
      { name: 'Readability.js (linkedom) pages per second', value: theirs.pagesPerSecond, unit: 'pages/s' },
      { name: 'ratio secwire/Readability.js, wall time', value: wallRatio, unit: 'x', goal: '>= 5x at a higher F1', met: met && wallRatio >= 5 },
      { name: 'ratio secwire/Readability.js, CPU time', value: cpuRatio, unit: 'x' },
      { name: 'secwire body F1', value: mine.f1, unit: '' },
      { name: 'Readability.js body F1', value: theirs.f1, unit: '' },
    ],
  });
}

if (isMainThread) await main(process.argv.slice(2));
else {
  const task = workerData as WorkerTask;
  parentPort!.postMessage(measure(task.name, labelledPages(task.corpusDir), EXTRACTORS[task.name], task.rounds));
}
