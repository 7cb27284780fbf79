/**
 * `npm run bench:serve [-- --articles N --db FILE --runs N --duration S --connections N --nginx-workers N --quick --json OUT]`:
 * autocannon against the compiled `secwire serve` (its own process) on a synthetic archive, for
 * `/feeds/all.atom` and a tag feed, and in the same run against nginx serving the very same bytes as static
 * files on another loopback port: req/s and p50/p99 latency of both and the ratio (goal >= 0.5x nginx), with a
 * plain GET (200) and with If-None-Match (the 304 path). Runs are interleaved so machine noise hits both alike.
 * The archive (default 1,000,000 articles, slow to build) can be kept and reused with `--db FILE`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { openStore } from '../src/store/store.js';
import { ARCHIVE_TAG_FEED, buildArchive } from './support/archive.js';
import { loadAverage } from './support/machine.js';
import { freePort, hasCommand, startNginx } from './support/nginx.js';
import { median } from './support/stats.js';
import { writeSummary, type BenchMetric } from './support/summary.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), import.meta.url.includes('/dist/') ? '../..' : '..');
const CLI = join(repoRoot, 'dist/src/cli/main.js');
const GOAL_RATIO = 0.5;

interface Options {
  articles: number;
  db: string | null;
  runs: number;
  durationSeconds: number;
  connections: number;
  nginxWorkers: number;
  json: string | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      articles: { type: 'string' },
      db: { type: 'string' },
      runs: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'nginx-workers': { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const quick = values.quick === true;
  const positive = (name: string, raw: string | undefined, fallback: number): number => {
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} needs a positive integer`);
    return parsed;
  };
  return {
    articles: positive('articles', values.articles, quick ? 5_000 : 1_000_000),
    db: values.db === undefined ? null : resolve(values.db),
    runs: positive('runs', values.runs, quick ? 1 : 5),
    durationSeconds: positive('duration', values.duration, quick ? 3 : 10),
    connections: positive('connections', values.connections, 50),
    nginxWorkers: positive('nginx-workers', values['nginx-workers'], 1),
    json: values.json ?? null,
  };
}

async function startSecwire(dir: string, db: string, port: number): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const config = join(dir, 'serve.yaml');
  writeFileSync(config, `server:\n  baseUrl: "http://127.0.0.1:${port}"\nsources: []\n`);
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config, '--db', db, '--port', String(port), '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const answer = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (answer !== null) {
      await answer.arrayBuffer();
      return { child, stop };
    }
    if (child.exitCode !== null) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  await stop();
  throw new Error(`secwire serve did not start on port ${port}`);
}

interface Sample {
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

async function load(url: string, options: Options, etag: string | null, expected: number): Promise<Sample> {
  const result = await autocannon({ url, connections: options.connections, duration: options.durationSeconds, headers: etag === null ? {} : { 'if-none-match': etag } });
  const answered = result.statusCodeStats?.[`${expected}`]?.count ?? 0;
  const total = Object.values(result.statusCodeStats ?? {}).reduce((sum, stat) => sum + (stat.count ?? 0), 0);
  if (result.errors > 0 || result.timeouts > 0 || answered !== total || total === 0) {
    throw new Error(`${url}${etag === null ? '' : ' (If-None-Match)'}: ${answered} of ${total} answers were ${expected}, ${result.errors} errors, ${result.timeouts} timeouts: ${JSON.stringify(result.statusCodeStats)}`);
  }
  return { requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

interface Case {
  label: string;
  path: string;
  staticName: string;
  conditional: boolean;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const missing = [!existsSync(CLI) && `${CLI} (npm run build)`, !hasCommand('nginx') && 'nginx (apt-get install -y nginx)'].filter(Boolean);
  if (missing.length > 0) {
    process.stdout.write(`bench:serve skipped: missing ${missing.join(', ')}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'secwire-bench-serve-'));
  chmodSync(dir, 0o755);
  const www = join(dir, 'www');
  mkdirSync(www);
  const db = options.db ?? join(dir, 'archive.db');
  const store = openStore(db);
  if (store.articleCount() < options.articles) {
    process.stderr.write(`bench:serve: building a synthetic archive of ${options.articles} articles in ${db}\n`);
    const started = performance.now();
    buildArchive(store, options.articles, (built) => process.stderr.write(`\r  built ${built} / ${options.articles}`));
    process.stderr.write(`\n  built in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  const articles = store.articleCount();
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  const databaseMb = statSync(db).size / 1024 ** 2;

  const secwirePort = await freePort();
  const nginxPort = await freePort();
  const secwire = await startSecwire(dir, db, secwirePort);
  const tagPath = `/feeds/tag/${ARCHIVE_TAG_FEED.type}/${ARCHIVE_TAG_FEED.value}.atom`;
  const cases: Case[] = [
    { label: '/feeds/all.atom', path: '/feeds/all.atom', staticName: '/all.atom', conditional: false },
    { label: `tag feed ${tagPath}`, path: tagPath, staticName: '/tag.atom', conditional: false },
    { label: '/feeds/all.atom, If-None-Match (304)', path: '/feeds/all.atom', staticName: '/all.atom', conditional: true },
    { label: 'tag feed, If-None-Match (304)', path: tagPath, staticName: '/tag.atom', conditional: true },
  ];
  const etags = new Map<string, string>();
  const sizes = new Map<string, number>();
  for (const { path, staticName } of cases) {
    const answer = await fetch(`http://127.0.0.1:${secwirePort}${path}`, { headers: { 'accept-encoding': 'identity' } });
    if (answer.status !== 200) throw new Error(`secwire answered ${answer.status} for ${path}`);
    const body = Buffer.from(await answer.arrayBuffer());
    writeFileSync(join(www, staticName), body);
    sizes.set(path, body.length);
    etags.set(`secwire${path}`, answer.headers.get('etag') ?? '');
  }
  const nginx = await startNginx({ dir, root: www, listen: [`127.0.0.1:${nginxPort}`], probe: '/all.atom', workers: options.nginxWorkers });
  try {
    for (const { staticName } of cases) {
      const answer = await fetch(`http://127.0.0.1:${nginxPort}${staticName}`);
      await answer.arrayBuffer();
      etags.set(`nginx${staticName}`, answer.headers.get('etag') ?? '');
    }
    const samples = new Map<string, { secwire: Sample[]; nginx: Sample[] }>(cases.map((c) => [c.label, { secwire: [], nginx: [] }]));
    for (let run = 0; run < options.runs; run += 1) {
      for (const c of cases) {
        const entry = samples.get(c.label) as { secwire: Sample[]; nginx: Sample[] };
        const expected = c.conditional ? 304 : 200;
        entry.secwire.push(await load(`http://127.0.0.1:${secwirePort}${c.path}`, options, c.conditional ? (etags.get(`secwire${c.path}`) ?? null) : null, expected));
        entry.nginx.push(await load(`http://127.0.0.1:${nginxPort}${c.staticName}`, options, c.conditional ? (etags.get(`nginx${c.staticName}`) ?? null) : null, expected));
      }
      process.stderr.write(`  run ${run + 1}/${options.runs} done, load ${loadAverage()}\n`);
    }
    const feedSizes = [...sizes].map(([path, bytes]) => `${path} ${(bytes / 1024).toFixed(0)} KB`).join(', ');
    const setup = `${articles} articles (database ${databaseMb.toFixed(0)} MB; ${feedSizes}, uncompressed); autocannon ${options.connections} connections x ${options.durationSeconds} s per case; secwire serve (one process) vs nginx (${options.nginxWorkers} worker${options.nginxWorkers === 1 ? '' : 's'}) serving the same bytes as static files; median of ${options.runs}`;
    const lines = [`bench:serve: ${setup}`];
    const metrics: BenchMetric[] = [];
    for (const c of cases) {
      const entry = samples.get(c.label) as { secwire: Sample[]; nginx: Sample[] };
      const rate = (list: Sample[]): number => median(list.map((s) => s.requestsPerSecond));
      const ratio = rate(entry.secwire) / rate(entry.nginx);
      const line = (name: string, list: Sample[]): string =>
        `    ${name.padEnd(8)} ${rate(list).toFixed(0).padStart(7)} req/s   p50 ${median(list.map((s) => s.p50)).toFixed(1)} ms   p99 ${median(list.map((s) => s.p99)).toFixed(1)} ms   [${list.map((s) => s.requestsPerSecond.toFixed(0)).join(', ')}]`;
      lines.push(`  ${c.label}`, line('secwire', entry.secwire), line('nginx', entry.nginx), `    ratio ${ratio.toFixed(2)}x nginx (goal >= ${GOAL_RATIO}x: ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'})`);
      for (const [name, list] of [['secwire', entry.secwire], ['nginx', entry.nginx]] as const) {
        metrics.push(
          { name: `${c.label}: ${name}`, value: rate(list), unit: 'req/s' },
          { name: `${c.label}: ${name} p50 latency`, value: median(list.map((s) => s.p50)), unit: 'ms' },
          { name: `${c.label}: ${name} p99 latency`, value: median(list.map((s) => s.p99)), unit: 'ms' },
        );
      }
      metrics.push({ name: `${c.label}: ratio secwire/nginx`, value: ratio, unit: 'x', goal: `>= ${GOAL_RATIO}x`, met: ratio >= GOAL_RATIO });
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    writeSummary(options.json, { bench: 'serve', setup, metrics });
  } finally {
    await nginx.stop();
    await secwire.stop();
    // A --db archive lives outside this directory and is kept for the next run.
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:serve failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
