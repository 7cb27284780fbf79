/**
 * `npm run bench:fetch [-- --feeds N --items N --runs N --per-host N]`: wall time to refresh N generated feeds
 * from an empty database, secwire (`fetch --no-articles`) against newsboat (`-x reload`, `reload-threads 8`), on
 * the same URLs served as static files by nginx on loopback. Median of `--runs` each, runs interleaved so machine
 * noise hits both alike. Both start from empty storage every run and store every item.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_FETCH_CONFIG } from '../src/fetchers/defaults.js';
import { createHttpClient } from '../src/fetchers/http.js';
import { jsonOutPath, writeSummary } from './support/summary.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), import.meta.url.includes('/dist/') ? '../..' : '..');
const CLI = join(repoRoot, 'dist/src/cli/main.js');
const NEWSBOAT_THREADS = 8;

interface Options {
  feeds: number;
  items: number;
  itemBytes: number;
  runs: number;
  /** secwire's per-host limit for the run: every feed is on one loopback host, newsboat has no such limit. */
  perHost: number;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: number): number => {
    const index = argv.indexOf(`--${name}`);
    const parsed = index >= 0 ? Number(argv[index + 1]) : fallback;
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} needs a positive integer`);
    return parsed;
  };
  return {
    feeds: value('feeds', 500),
    items: value('items', 20),
    itemBytes: value('item-bytes', 3000),
    runs: value('runs', 5),
    perHost: value('per-host', NEWSBOAT_THREADS),
  };
}

const COMMON_WORDS = 'the a of to and in for on with attackers patched vulnerability ransomware vendor advisory exploited'.split(' ');
const SYLLABLES = 'ba ce di fo gu ka le mi no pu ra se ti vo zu the quo'.split(' ');

/**
 * Deterministic text so every run serves the same bytes. Mostly invented words from a vocabulary of ~5,000, so
 * items read as distinct stories the way real news does (near-identical items would all be merged as duplicates).
 */
function prose(seed: number, bytes: number): string {
  let state = (seed * 2654435761 + 1) % 2147483648;
  const next = (modulo: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor(state / 65536) % modulo;
  };
  const words: string[] = [];
  let length = 0;
  while (length < bytes) {
    const word =
      next(3) === 0
        ? (COMMON_WORDS[next(COMMON_WORDS.length)] ?? 'the')
        : Array.from({ length: 2 + next(2) }, () => SYLLABLES[next(SYLLABLES.length)] ?? 'ba').join('');
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ');
}

function writeFeeds(www: string, options: Options, origin: string): string[] {
  const urls: string[] = [];
  const base = Date.UTC(2026, 10, 30, 12);
  for (let feed = 0; feed < options.feeds; feed += 1) {
    const items: string[] = [];
    for (let item = 0; item < options.items; item += 1) {
      const id = `${feed}-${item}`;
      items.push(`<item><title>Bench story ${id}: ${prose(feed * 1000 + item, 60)}</title>
<link>${origin}/articles/${id}.html</link><guid isPermaLink="false">bench-${id}</guid>
<pubDate>${new Date(base - (feed * options.items + item) * 60_000).toUTCString()}</pubDate>
<description>${prose(feed * 1000 + item + 7, options.itemBytes)}</description></item>`);
    }
    writeFileSync(
      join(www, `feed-${feed}.xml`),
      `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Bench feed ${feed}</title><link>${origin}/</link><description>generated</description>\n${items.join('\n')}\n</channel></rss>\n`,
    );
    urls.push(`${origin}/feed-${feed}.xml`);
  }
  return urls;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function startNginx(dir: string, www: string, port: number): Promise<ChildProcess> {
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 2;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/rss+xml xml; }
  default_type application/octet-stream;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 100000;
  server { listen 127.0.0.1:${port}; root ${www}; }
}
`,
  );
  const nginx = spawn('nginx', ['-e', join(dir, 'nginx-error.log'), '-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const probe = await fetch(`http://127.0.0.1:${port}/feed-0.xml`).catch(() => null);
    if (probe?.ok === true) return nginx;
    await new Promise((done) => setTimeout(done, 50));
  }
  nginx.kill();
  throw new Error(`nginx did not start on port ${port} (see ${dir}/nginx-error.log)`);
}

interface Timed {
  ms: number;
  /** User + system CPU of the command, from /usr/bin/time: steadier than wall time on a shared machine. */
  cpuMs: number;
  /** The end of what the command printed, to explain a wrong item count. */
  tail: string;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv, cpuFile: string): Timed {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, command, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  const [user = Number.NaN, system = Number.NaN] = (readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  // secwire exits 4 when some sources failed; the item count check below catches that too.
  if (run.error !== undefined || (run.status !== 0 && run.status !== 4)) {
    throw new Error(`${command} failed (${run.status ?? run.error?.message}): ${run.stderr.toString('utf8').slice(-2000)}`);
  }
  return { ms, cpuMs: (user + system) * 1000, tail: `${run.stdout.toString('utf8').slice(-1000)}\n${run.stderr.toString('utf8').slice(-1000)}` };
}

/** The HTTP client alone, in this process: what the fetch stage costs without parsing, tagging or storing. */
async function httpOnly(urls: string[], port: number, perHost: number): Promise<number> {
  const http = createHttpClient({ ...DEFAULT_FETCH_CONFIG, perHostConcurrency: perHost, allowPrivateHosts: [`127.0.0.1:${port}`] });
  try {
    const started = performance.now();
    const results = await Promise.all(urls.map((url) => http.fetch(url, { accept: 'feed' })));
    const ms = performance.now() - started;
    if (results.some((result) => result.notModified || result.status !== 200)) throw new Error('the HTTP client missed a feed');
    return ms;
  } finally {
    await http.close();
  }
}

function count(dbFile: string, sql: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0 || existsSync(`/usr/sbin/${command}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(CLI)) {
    process.stdout.write(`bench:fetch skipped: ${CLI} is missing (build the CLI with \`npm run build\`)\n`);
    return;
  }
  for (const tool of ['nginx', 'newsboat']) {
    if (!which(tool)) {
      process.stdout.write(`bench:fetch skipped: ${tool} is not installed (apt-get install -y nginx newsboat)\n`);
      return;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'secwire-bench-fetch-'));
  const www = join(dir, 'www');
  mkdirSync(www);
  // nginx workers may run as another user: they must read the generated files.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const urls = writeFeeds(www, options, origin);
  const expectedItems = options.feeds * options.items;
  const nginx = await startNginx(dir, www, port);
  try {
    const urlsFile = join(dir, 'urls');
    writeFileSync(urlsFile, `${urls.join('\n')}\n`);
    writeFileSync(join(dir, 'newsboat.conf'), `reload-threads ${NEWSBOAT_THREADS}\n`);
    writeFileSync(
      join(dir, 'secwire.yaml'),
      `fetch:\n  allowPrivateHosts: ["127.0.0.1:${port}"]\n  perHostConcurrency: ${options.perHost}\nsources:\n${urls
        .map((url, index) => `  - id: bench-${index}\n    name: Bench ${index}\n    url: ${url}\n    articles: false\n`)
        .join('')}`,
    );
    const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_DATA_HOME: join(dir, 'xdg'), NO_COLOR: '1' };
    const secwireTimes: number[] = [];
    const newsboatTimes: number[] = [];
    const httpTimes: number[] = [];
    const secwireCpu: number[] = [];
    const newsboatCpu: number[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      const db = join(dir, `secwire-${run}.db`);
      const secwireRun = timed(process.execPath, [CLI, 'fetch', '--no-articles', '--log-level', 'warn', '--config', join(dir, 'secwire.yaml'), '--db', db], env, join(dir, 'cpu'));
      secwireTimes.push(secwireRun.ms);
      secwireCpu.push(secwireRun.cpuMs);
      const stored = count(db, 'SELECT count(*) AS n FROM articles');
      if (stored !== expectedItems) throw new Error(`secwire stored ${stored} items, expected ${expectedItems}:\n${secwireRun.tail}`);
      rmSync(db, { force: true });

      const cache = join(dir, `newsboat-${run}.db`);
      const newsboatRun = timed('newsboat', ['-x', 'reload', '-u', urlsFile, '-c', cache, '-C', join(dir, 'newsboat.conf')], env, join(dir, 'cpu'));
      newsboatTimes.push(newsboatRun.ms);
      newsboatCpu.push(newsboatRun.cpuMs);
      const cached = count(cache, 'SELECT count(*) AS n FROM rss_item');
      if (cached !== expectedItems) throw new Error(`newsboat stored ${cached} items, expected ${expectedItems}:\n${newsboatRun.tail}`);
      rmSync(cache, { force: true });
      httpTimes.push(await httpOnly(urls, port, options.perHost));
    }
    const secwire = median(secwireTimes);
    const newsboat = median(newsboatTimes);
    const seconds = (ms: number): string => (ms / 1000).toFixed(2);
    process.stdout.write(
      [
        `bench:fetch: ${options.feeds} feeds x ${options.items} items (~${options.itemBytes} B each) from nginx on loopback, empty storage, median of ${options.runs}`,
        `  secwire fetch --no-articles (perHostConcurrency ${options.perHost}): ${seconds(secwire)} s  [${secwireTimes.map(seconds).join(', ')}]`,
        `  newsboat -x reload (reload-threads ${NEWSBOAT_THREADS}):       ${seconds(newsboat)} s  [${newsboatTimes.map(seconds).join(', ')}]`,
        `  of which the HTTP client alone, in-process: ${seconds(median(httpTimes))} s  [${httpTimes.map(seconds).join(', ')}]`,
        `  ratio secwire/newsboat, wall time: ${(secwire / newsboat).toFixed(2)}x (goal <= 0.50x)`,
        `  CPU time (user+sys), median: secwire ${seconds(median(secwireCpu))} s, newsboat ${seconds(median(newsboatCpu))} s, ratio ${(median(secwireCpu) / median(newsboatCpu)).toFixed(2)}x`,
        '',
      ].join('\n'),
    );
    writeSummary(jsonOutPath(process.argv.slice(2)), {
      bench: 'fetch',
      setup: `${options.feeds} feeds x ${options.items} items from nginx on loopback, secwire fetch --no-articles vs newsboat -x reload, median of ${options.runs}`,
      metrics: [
        { name: 'secwire wall time', value: secwire / 1000, unit: 's' },
        { name: 'newsboat wall time', value: newsboat / 1000, unit: 's' },
        { name: 'ratio secwire/newsboat, wall time', value: secwire / newsboat, unit: 'x', goal: '<= 0.50x', met: secwire / newsboat <= 0.5 },
        { name: 'ratio secwire/newsboat, CPU time', value: median(secwireCpu) / median(newsboatCpu), unit: 'x' },
      ],
    });
  } finally {
    nginx.kill('SIGTERM');
    await new Promise((done) => nginx.once('exit', done));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:fetch failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
