import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { FIXTURE_FAULTS, startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { writeTestConfig } from '../support/wire.js';

// The CLI as users run it: the compiled entry point (`npm test` builds first).
const CLI = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the CLI without blocking this process (the fixture site it talks to lives here). */
function start(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: tmpdir(), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(signal ? null : code)));
  return { child, stderr: () => stderr, exited };
}

async function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: tmpdir(), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { status, stdout, stderr };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Starts `secwire run` and waits until it serves. */
async function startDaemon(configFile: string, extra: string[] = []): Promise<Running & { url: string }> {
  const daemon = start(['run', '--config', configFile, '--log-level', 'info', ...extra]);
  const url = await until('the daemon to listen', () => /serving (http:\/\/[^/\s]+)\/feeds/.exec(daemon.stderr())?.[1]);
  return { ...daemon, url };
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function withDb<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(async () => {
  await site.close();
});

const outletPath = (index: number): string => new URL(site.outlets[index]!.feedUrl).pathname;

describe('secwire run', () => {
  it('serves health and metrics, refuses a second instance, reloads on SIGHUP and stops on SIGTERM', async () => {
    const { file, config } = writeTestConfig(site, { outlets: false, extra: [{ id: 'first', path: outletPath(0) }] });
    const daemon = await startDaemon(file);
    const health = await until('a successful fetch', async () => {
      const answer = await getJson(`${daemon.url}/healthz`);
      return answer.body['lastSuccessAt'] ? answer : null;
    });
    expect(health.status).toBe(200);
    expect(health.body['status']).toBe('ok');

    const second = await run(['run', '--config', file]);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/another secwire daemon \(pid \d+, started [^)]+\) is already running/);

    await fetch(`${daemon.url}/feeds/all.atom`).then((r) => r.text());
    await fetch(`${daemon.url}/feeds/all.atom`).then((r) => r.text());
    const metricsResponse = await fetch(`${daemon.url}/metrics`);
    expect(metricsResponse.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await metricsResponse.text());
    const family = (name: string) => families.find((f) => f.name === name);
    expect(family('secwire_fetches_total')!.metrics).toContainEqual(expect.objectContaining({ labels: { source: 'first', outcome: 'ok', status: '200' }, value: '1' }));
    expect(Number(family('secwire_articles_stored_total')!.metrics.find((m) => m.labels?.['kind'] === 'new')!.value)).toBeGreaterThan(0);
    expect(family('secwire_fetch_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(family('secwire_feed_requests_total')!.metrics).toContainEqual(expect.objectContaining({ labels: { format: 'atom' }, value: '2' }));
    expect(family('secwire_feed_cache_hits_total')!.metrics).toContainEqual(expect.objectContaining({ labels: { format: 'atom' }, value: '1' }));
    expect(Number(family('secwire_database_size_bytes')!.metrics[0]!.value)).toBeGreaterThan(0);
    expect(Number(family('secwire_articles')!.metrics[0]!.value)).toBeGreaterThan(0);
    expect(family('secwire_extraction_failures_total')).toBeDefined();

    // Add a source and change nothing else: SIGHUP applies it without a restart.
    const yaml = parse(readFileSync(file, 'utf8')) as { sources: unknown[] };
    yaml.sources.push({ id: 'added', name: 'Added', url: site.outlets[1]!.feedUrl });
    writeFileSync(file, stringify(yaml));
    daemon.child.kill('SIGHUP');
    await until('the added source to be fetched', () => withDb(config.database, (db) => db.prepare("SELECT last_success_at FROM sources WHERE id = 'added'").pluck().get()));
    expect(daemon.stderr()).toContain('configuration reloaded: 1 sources added, 0 changed, 0 removed');

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.stderr()).toMatch(/"msg":"stopped"/);
    expect(withDb(config.database, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
  }, 120_000);

  it('aborts a hanging fetch after the stop timeout, and a second signal exits at once', async () => {
    const { file } = writeTestConfig(site, { outlets: false, extra: [{ id: 'hang', path: FIXTURE_FAULTS.hang }] });
    const patient = await startDaemon(file, ['--stop-timeout', '1s']);
    await until('the hanging fetch to start', () => site.requestLog.some((r) => r.path === FIXTURE_FAULTS.hang));
    patient.child.kill('SIGTERM');
    expect(await patient.exited).toBe(0);
    expect(patient.stderr()).toContain('stopped (1 ingests aborted)');

    // A new database: the first one now backs off from the aborted source.
    const hangs = site.requestLog.filter((r) => r.path === FIXTURE_FAULTS.hang).length;
    const impatient = await startDaemon(writeTestConfig(site, { outlets: false, extra: [{ id: 'hang', path: FIXTURE_FAULTS.hang }] }).file, ['--stop-timeout', '10m']);
    await until('the hanging fetch to start again', () => site.requestLog.filter((r) => r.path === FIXTURE_FAULTS.hang).length > hangs);
    impatient.child.kill('SIGTERM');
    await until('the first signal to be seen', () => impatient.stderr().includes('SIGTERM: stopping'));
    impatient.child.kill('SIGTERM');
    expect(await impatient.exited).toBe(130);
  }, 90_000);

  it('turns /healthz to 503 when nothing succeeds for longer than the window', async () => {
    const { file } = writeTestConfig(site, { outlets: false, extra: [{ id: 'broken', path: FIXTURE_FAULTS.serverError }] });
    const daemon = await startDaemon(file, ['--health-window', '2s']);
    const stale = await until('health to turn 503', async () => {
      const answer = await getJson(`${daemon.url}/healthz`);
      return answer.status === 503 ? answer : null;
    });
    expect(stale.body).toMatchObject({ status: 'stale', lastSuccessAt: null, windowSeconds: 2 });
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  }, 90_000);

  it('frees the lock when killed with SIGKILL and prunes on start-up, keeping live stories and starred articles', async () => {
    const { file, config } = writeTestConfig(site, { outlets: false, extra: [{ id: 'first', path: outletPath(0) }] });
    expect((await run(['fetch', '--config', file])).status).toBe(0);
    const killed = await startDaemon(file);
    await until('start-up retention', () => killed.stderr().includes('retention:'));
    killed.child.kill('SIGKILL');
    await killed.exited;
    const ids = withDb(config.database, (db) => {
      // A day later: retention is due again.
      db.prepare("UPDATE meta SET value = ? WHERE key = 'last_prune_at'").run(new Date(Date.now() - 25 * 3_600_000).toISOString());
      const all = db.prepare('SELECT id FROM articles ORDER BY id').pluck().all() as number[];
      expect(all.length).toBeGreaterThanOrEqual(4);
      // Two years old: past the default retention of 365 days, except what a story or a star keeps.
      // Stories set by hand, one per article: whatever clustering made of these articles is not what this test is
      // about. Not NULL: opening the store places story-less articles (the backfill of older databases).
      db.prepare("UPDATE articles SET first_seen = '2020-01-01T00:00:00Z', story_id = 900000 + id").run();
      const [storyOld, storyYoung, starred] = all as [number, number, number];
      db.prepare('UPDATE articles SET story_id = 999999 WHERE id IN (?, ?)').run(storyOld, storyYoung);
      db.prepare('UPDATE articles SET first_seen = ? WHERE id = ?').run(new Date().toISOString(), storyYoung);
      db.prepare('UPDATE articles SET keep = 1 WHERE id = ?').run(starred);
      return { storyOld, storyYoung, starred };
    });
    const daemon = await startDaemon(file);
    await until('retention to run', () => daemon.stderr().includes('retention:'));
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    const left = withDb(config.database, (db) => db.prepare("SELECT id FROM articles WHERE first_seen < '2021-01-01' OR id IN (?, ?, ?) ORDER BY id").pluck().all(ids.storyOld, ids.storyYoung, ids.starred));
    expect(left).toEqual([ids.storyOld, ids.storyYoung, ids.starred].sort((a, b) => a - b));
  }, 120_000);
});

describe('secwire prune and backup', () => {
  it('prunes by hand and backs up while the daemon writes', async () => {
    const { file, config, dir } = writeTestConfig(site);
    const daemon = await startDaemon(file);
    // A source stored: the prune below needs articles, and the backup then runs while the other sources write.
    await until('the daemon to store articles', () => /"new":[1-9]/.test(daemon.stderr()));
    const backupFile = join(dir, 'copy.db');
    const backup = await run(['backup', backupFile, '--config', file]);
    expect(backup.status).toBe(0);
    expect(withDb(backupFile, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
    expect((await run(['backup', backupFile, '--config', file])).status).toBe(2);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);

    // Each in a story of its own (not NULL: opening the store would place story-less articles again).
    withDb(config.database, (db) => db.prepare("UPDATE articles SET first_seen = '2020-01-01T00:00:00Z', story_id = 900000 + id WHERE id IN (SELECT id FROM articles ORDER BY id LIMIT 3)").run());
    const pruned = await run(['prune', '--older-than', '180d', '--json', '--config', file]);
    expect(pruned.status).toBe(0);
    expect(JSON.parse(pruned.stdout)).toMatchObject({ deleted: 3, keptStarred: 0 });
    expect((await run(['prune', '--older-than', 'soon', '--config', file])).status).toBe(2);
  }, 120_000);
});

describe('SIGKILL during ingest', () => {
  it('leaves a sound database with nothing duplicated and nothing committed lost, after 20 kills', async () => {
    const { file, config } = writeTestConfig(site);
    let committed = new Set<string>();
    const kills = 20;
    for (let i = 0; i < kills; i += 1) {
      // Edits between runs keep every run writing (updates, not only inserts).
      const article = site.articles[i % site.articles.length]!;
      site.reviseArticle(`${article.outlet}/${article.slug}`, { title: `${article.title} (update ${i})`, updated: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() });
      const fetching = start(['fetch', '--force', '--config', file]);
      await sleep(150 + Math.random() * 2_000);
      fetching.child.kill('SIGKILL');
      await fetching.exited;
      const now = withDb(config.database, (db) => {
        // Killed before the first migration committed: nothing stored yet, nothing to lose.
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'articles'").get()) return new Set<string>();
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.prepare('SELECT COUNT(*) FROM (SELECT canonical_url FROM articles GROUP BY canonical_url HAVING COUNT(*) > 1)').pluck().get()).toBe(0);
        expect(db.prepare("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)").run()).toBeDefined();
        return new Set(db.prepare('SELECT canonical_url FROM articles').pluck().all() as string[]);
      });
      for (const url of committed) expect(now.has(url), `${url} lost after kill ${i + 1}`).toBe(true);
      committed = now;
    }
    expect((await run(['fetch', '--config', file])).status).toBe(0);
    const fresh = writeTestConfig(site);
    expect((await run(['fetch', '--config', fresh.file])).status).toBe(0);
    const urls = (db: Database.Database) => (db.prepare('SELECT canonical_url FROM articles ORDER BY 1').pluck().all() as string[]);
    expect(withDb(config.database, urls)).toEqual(withDb(fresh.config.database, urls));
  }, 300_000);
});
