/**
 * `npm run bench:ingest [-- --feeds N --pages N --hosts N --min-kb N --max-kb N --runs N --workers N --article-concurrency N --article-sources N --quick --json OUT --cpu-prof DIR]`:
 * the whole wire end to end. A generated site (bench/support/site.ts) of 200 feeds and 10,000 article pages of
 * 60-150 KB, spread over 20 loopback outlets and served by nginx; the compiled CLI `secwire fetch` from an empty
 * database: articles/s, peak RSS, CPU seconds, database size. Then a second run with nothing changed, which must
 * be mostly 304s and near-zero writes: feed answers by status (from nginx's access log), articles the CLI
 * reports as new or updated, and blocks the process wrote. Median of `--runs`, each from its own empty database.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadAverage } from './support/machine.js';
import { freePort, hasCommand, startNginx } from './support/nginx.js';
import { writeSite } from './support/site.js';
import { list, median, seconds } from './support/stats.js';
import { writeSummary, type BenchMetric } from './support/summary.js';
import { hasGnuTime, timedRun, type TimedRun } from './support/timed.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), import.meta.url.includes('/dist/') ? '../..' : '..');
const CLI = join(repoRoot, 'dist/src/cli/main.js');
const GOAL_ARTICLES_PER_SECOND = 300;
const GOAL_PEAK_RSS_MB = 400;

interface Options {
  feeds: number;
  pages: number;
  hosts: number;
  minKb: number;
  maxKb: number;
  runs: number;
  /** `fetch.workers` for the run; null leaves secwire's default. */
  workers: number | null;
  /** `fetch.articleConcurrency` and `fetch.articleSources`; null leaves secwire's defaults. */
  articleConcurrency: number | null;
  articleSources: number | null;
  json: string | null;
  /** Directory for V8 CPU profiles of the first (cold) fetch of each run: where an article's CPU goes. */
  cpuProf: string | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      feeds: { type: 'string' },
      pages: { type: 'string' },
      hosts: { type: 'string' },
      'min-kb': { type: 'string' },
      'max-kb': { type: 'string' },
      runs: { type: 'string' },
      workers: { type: 'string' },
      'article-concurrency': { type: 'string' },
      'article-sources': { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const quick = values.quick === true;
  const positive = (name: string, raw: string | undefined, fallback: number): number => {
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} needs a positive integer`);
    return parsed;
  };
  const wholeNumber = (name: string, raw: string): number => {
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} needs a whole number >= 0`);
    return parsed;
  };
  const options = {
    feeds: positive('feeds', values.feeds, quick ? 20 : 200),
    pages: positive('pages', values.pages, quick ? 400 : 10_000),
    hosts: positive('hosts', values.hosts, 20),
    minKb: positive('min-kb', values['min-kb'], 60),
    maxKb: positive('max-kb', values['max-kb'], 150),
    runs: positive('runs', values.runs, quick ? 1 : 5),
    workers: values.workers === undefined ? null : wholeNumber('workers', values.workers),
    articleConcurrency: values['article-concurrency'] === undefined ? null : positive('article-concurrency', values['article-concurrency'], 1),
    articleSources: values['article-sources'] === undefined ? null : positive('article-sources', values['article-sources'], 1),
    json: values.json ?? null,
    cpuProf: values['cpu-prof'] === undefined ? null : resolve(values['cpu-prof']),
  };
  if (options.maxKb < options.minKb) throw new Error('--max-kb must be at least --min-kb');
  if (options.hosts > 250) throw new Error('--hosts: at most 250 loopback outlets (127.0.0.1-250)');
  return options;
}

/** The `fetch` keys the run sets beside allowPrivateHosts, as YAML lines. */
function fetchSettings(options: Options): string {
  const keys: [string, number | null][] = [
    ['workers', options.workers],
    ['articleConcurrency', options.articleConcurrency],
    ['articleSources', options.articleSources],
  ];
  return keys.map(([key, value]) => (value === null ? '' : `  ${key}: ${value}\n`)).join('');
}

interface SourceReport {
  outcome: 'ok' | 'not-modified' | 'error';
  new: number;
  updated: number;
  extracted: number;
  extractFailed: number;
  error: { kind: string; message: string } | null;
}

function reports(run: TimedRun, label: string): SourceReport[] {
  // secwire exits 4 when some sources failed; those are reported below as errors.
  if (run.status !== 0 && run.status !== 4) throw new Error(`${label}: secwire fetch exited ${run.status}: ${run.stderr.slice(-2000)}`);
  return (JSON.parse(run.stdout) as { sources: SourceReport[] }).sources;
}

function statusCounts(accessLog: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(accessLog, 'utf8').split('\n')) {
    if (!line.includes(' /feeds/')) continue;
    const status = line.split(' ')[0] ?? '';
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return counts;
}

function databaseBytes(db: string): number {
  return [db, `${db}-wal`].reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0);
}

function articleCount(db: string): number {
  const handle = new Database(db, { readonly: true });
  try {
    return (handle.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
  } finally {
    handle.close();
  }
}

interface RunResult {
  articlesPerSecond: number;
  /** Steadier than wall time on a shared machine: what the wire costs, whoever else runs. */
  articlesPerCpuSecond: number;
  /** The same without start-up, estimated as the CPU of the unchanged second run (start-up and 304s only). */
  articlesPerCpuSecondAfterStartup: number;
  wallMs: number;
  cpuSeconds: number;
  peakRssMb: number;
  databaseMb: number;
  second: { wallMs: number; cpuSeconds: number; peakRssMb: number; notModified: number; feedAnswers: string; articleWrites: number; blocksWritten: number; databaseGrowthBytes: number };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const missing = [!existsSync(CLI) && `${CLI} (npm run build)`, !hasCommand('nginx') && 'nginx (apt-get install -y nginx)', !hasGnuTime() && '/usr/bin/time (apt-get install -y time)'].filter(Boolean);
  if (missing.length > 0) {
    process.stdout.write(`bench:ingest skipped: missing ${missing.join(', ')}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'secwire-bench-ingest-'));
  // nginx workers may run as another user: they must read the generated files.
  chmodSync(dir, 0o755);
  const www = join(dir, 'www');
  mkdirSync(www);
  const port = await freePort();
  const generating = performance.now();
  const site = writeSite(www, { feeds: options.feeds, pages: options.pages, hosts: options.hosts, minPageBytes: options.minKb * 1024, maxPageBytes: options.maxKb * 1024 }, port);
  process.stderr.write(`bench:ingest: site of ${options.feeds} feeds, ${options.pages} pages (${(site.pageBytes / 1024 ** 2).toFixed(0)} MB) on ${site.hosts.length} outlets generated in ${seconds(performance.now() - generating)} s\n`);
  const nginx = await startNginx({ dir, root: www, listen: site.hosts, probe: '/feeds/feed-0.xml', accessLog: true });
  try {
    const config = join(dir, 'secwire.yaml');
    writeFileSync(
      config,
      `fetch:\n  allowPrivateHosts: [${site.hosts.map((host) => `"${host}"`).join(', ')}]\n${fetchSettings(options)}sources:\n${site.feedUrls
        .map((url, index) => `  - id: bench-${index}\n    name: Bench ${index}\n    url: ${url}\n    articles: true\n`)
        .join('')}`,
    );
    const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_DATA_HOME: join(dir, 'xdg'), NO_COLOR: '1' };
    const accessLog = nginx.accessLog as string;
    const results: RunResult[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      const db = join(dir, `run-${run}.db`);
      const args = [CLI, 'fetch', '--json', '--log-level', 'warn', '--config', config, '--db', db];
      const profile = options.cpuProf === null ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProf];
      const first = timedRun(process.execPath, [...profile, ...args], { env, statsFile: join(dir, 'time') });
      const firstReports = reports(first, `run ${run + 1}`);
      const stored = articleCount(db);
      const extracted = firstReports.reduce((sum, r) => sum + r.extracted, 0);
      const errors = firstReports.filter((r) => r.error !== null);
      if (stored !== options.pages || extracted !== options.pages) {
        throw new Error(`run ${run + 1}: stored ${stored} and extracted ${extracted} of ${options.pages} articles; ${errors.length} sources failed${errors[0] ? `, first: ${errors[0].error?.kind}: ${errors[0].error?.message}` : ''}\n${first.stderr.slice(-1500)}`);
      }
      const sizeAfterFirst = databaseBytes(db);
      truncateSync(accessLog);
      const second = timedRun(process.execPath, args, { env, statsFile: join(dir, 'time') });
      const secondReports = reports(second, `run ${run + 1}, second pass`);
      const answers = statusCounts(accessLog);
      results.push({
        articlesPerSecond: stored / (first.wallMs / 1000),
        articlesPerCpuSecond: stored / first.cpuSeconds,
        articlesPerCpuSecondAfterStartup: stored / Math.max(0.001, first.cpuSeconds - second.cpuSeconds),
        wallMs: first.wallMs,
        cpuSeconds: first.cpuSeconds,
        peakRssMb: first.peakRssMb,
        databaseMb: sizeAfterFirst / 1024 ** 2,
        second: {
          wallMs: second.wallMs,
          cpuSeconds: second.cpuSeconds,
          peakRssMb: second.peakRssMb,
          notModified: secondReports.filter((r) => r.outcome === 'not-modified').length,
          feedAnswers: [...answers].map(([status, count]) => `${count} x ${status}`).join(', '),
          articleWrites: secondReports.reduce((sum, r) => sum + r.new + r.updated, 0),
          blocksWritten: second.blocksWritten,
          databaseGrowthBytes: databaseBytes(db) - sizeAfterFirst,
        },
      });
      truncateSync(accessLog);
      for (const file of [db, `${db}-wal`, `${db}-shm`]) rmSync(file, { force: true });
      process.stderr.write(`  run ${run + 1}/${options.runs}: ${results.at(-1)?.articlesPerSecond.toFixed(0)} articles/s, load ${loadAverage()}\n`);
    }
    const rate = median(results.map((r) => r.articlesPerSecond));
    const peak = Math.max(...results.map((r) => r.peakRssMb));
    const last = results.at(-1) as RunResult;
    const secondWrites = median(results.map((r) => r.second.articleWrites));
    const secondNotModified = median(results.map((r) => r.second.notModified));
    const lines = [
      `bench:ingest: ${options.feeds} feeds, ${options.pages} article pages of ${options.minKb}-${options.maxKb} KB (${(site.pageBytes / 1024 ** 2).toFixed(0)} MB) on ${site.hosts.length} loopback outlets (nginx), secwire fetch from an empty database${fetchSettings(options).trim().replace(/\s*\n\s*/g, ', ').replace(/^(?=.)/, ', fetch ')}, median of ${options.runs}`,
      `  articles/s:         ${rate.toFixed(0)}  [${list(results.map((r) => r.articlesPerSecond))}]  (goal >= ${GOAL_ARTICLES_PER_SECOND}: ${rate >= GOAL_ARTICLES_PER_SECOND ? 'met' : 'NOT met'})`,
      `  articles/CPU s:     ${median(results.map((r) => r.articlesPerCpuSecond)).toFixed(0)}  [${list(results.map((r) => r.articlesPerCpuSecond))}]  (user+sys of the process, start-up included; load ${loadAverage()})`,
      `  articles/CPU s, start-up excluded: ${median(results.map((r) => r.articlesPerCpuSecondAfterStartup)).toFixed(0)}  (the unchanged second run's CPU, start-up and 304s, subtracted)`,
      `  wall time:          ${seconds(median(results.map((r) => r.wallMs)))} s  [${results.map((r) => seconds(r.wallMs)).join(', ')}]`,
      `  CPU (user+sys):     ${median(results.map((r) => r.cpuSeconds)).toFixed(1)} s  [${list(results.map((r) => r.cpuSeconds), 1)}]`,
      `  peak RSS:           ${peak.toFixed(0)} MB (largest of the runs; goal < ${GOAL_PEAK_RSS_MB}: ${peak < GOAL_PEAK_RSS_MB ? 'met' : 'NOT met'})`,
      `  database:           ${median(results.map((r) => r.databaseMb)).toFixed(1)} MB`,
      `  second run, nothing changed: ${seconds(median(results.map((r) => r.second.wallMs)))} s wall, ${median(results.map((r) => r.second.cpuSeconds)).toFixed(1)} s CPU, ${median(results.map((r) => r.second.peakRssMb)).toFixed(0)} MB peak RSS`,
      `    sources not modified: ${secondNotModified} of ${options.feeds}; feed answers (last run): ${last.second.feedAnswers}`,
      `    articles written (new + updated): ${secondWrites}; blocks written by the process: ${median(results.map((r) => r.second.blocksWritten))}; database growth: ${median(results.map((r) => r.second.databaseGrowthBytes))} bytes`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    const metrics: BenchMetric[] = [
      { name: 'articles per second (first run)', value: rate, unit: 'articles/s', goal: `>= ${GOAL_ARTICLES_PER_SECOND}`, met: rate >= GOAL_ARTICLES_PER_SECOND },
      { name: 'articles per CPU second (first run)', value: median(results.map((r) => r.articlesPerCpuSecond)), unit: 'articles/s' },
      { name: 'articles per CPU second, start-up excluded', value: median(results.map((r) => r.articlesPerCpuSecondAfterStartup)), unit: 'articles/s' },
      { name: 'wall time (first run)', value: median(results.map((r) => r.wallMs)) / 1000, unit: 's' },
      { name: 'CPU time (first run)', value: median(results.map((r) => r.cpuSeconds)), unit: 's' },
      { name: 'peak RSS (largest)', value: peak, unit: 'MB', goal: `< ${GOAL_PEAK_RSS_MB}`, met: peak < GOAL_PEAK_RSS_MB },
      { name: 'database size', value: median(results.map((r) => r.databaseMb)), unit: 'MB' },
      { name: 'second run wall time', value: median(results.map((r) => r.second.wallMs)) / 1000, unit: 's' },
      { name: 'second run sources not modified', value: secondNotModified, unit: `of ${options.feeds}`, goal: 'mostly 304', met: secondNotModified >= options.feeds * 0.9 },
      { name: 'second run articles written', value: secondWrites, unit: 'articles', goal: 'near zero', met: secondWrites <= options.pages * 0.01 },
      { name: 'second run blocks written', value: median(results.map((r) => r.second.blocksWritten)), unit: '512-byte blocks' },
    ];
    writeSummary(options.json, { bench: 'ingest', setup: lines[0]?.replace(/^bench:ingest: /, '') ?? '', metrics });
  } finally {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingest failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
