import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWire } from '../../src/cli/context.js';
import type { Config } from '../../src/config/load.js';
import { startScheduler } from '../../src/daemon/scheduler.js';
import { FIXTURE_FAULTS, startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { silentLogger } from '../../src/log.js';
import { runCycle, type SourceReport, type Wire } from '../../src/pipeline.js';
import { mountScratchFs, setImmutable, type ScratchFs } from '../support/hostile-fs.js';
import { writeTestConfig } from '../support/wire.js';

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(async () => {
  await site.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** What a reader of the file sees: every committed article, and whether the file is sound. */
function committed(file: string): { urls: string[]; integrity: string } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return { urls: db.prepare('SELECT canonical_url FROM articles ORDER BY 1').pluck().all() as string[], integrity: db.pragma('integrity_check', { simple: true }) as string };
  } finally {
    db.close();
  }
}

/** Every outlet's articles get a new title, so the next ingest has to write. */
function reviseEverything(round: number): void {
  for (const article of site.articles) site.reviseArticle(`${article.outlet}/${article.slug}`, { title: `${article.title} (round ${round})`, updated: new Date(Date.UTC(2026, 10, 2, round)).toISOString() });
}

/** The fetcher itself retries a GET once when a reused keep-alive connection was closed under it. */
async function cycle(wire: Wire, config: Config, force = true): Promise<SourceReport[]> {
  return (await runCycle(wire, config.sources, { articles: true, force })).reports;
}

/** A cycle that must not crash the process: it either reports per source or throws a named error. */
async function cycleOutcome(wire: Wire, config: Config): Promise<{ reports: SourceReport[]; thrown: { kind?: string; message: string } | null }> {
  try {
    return { reports: await cycle(wire, config), thrown: null };
  } catch (error) {
    return { reports: [], thrown: { kind: (error as { kind?: string }).kind, message: (error as Error).message } };
  }
}

function onScratch(fs: ScratchFs | null, config: Config): Config {
  return fs ? { ...config, database: join(fs.dir, 'secwire.db') } : config;
}

describe('storage faults', () => {
  it('a full disk fails the ingest with a named error, keeps what was committed, and recovers when space returns', async () => {
    // A size-capped tmpfs when this machine lets us mount one; otherwise SQLite's own page cap.
    const fs = mountScratchFs(64 * 1024 * 1024);
    const config = onScratch(fs, writeTestConfig(site).config);
    const wire = openWire(config, silentLogger);
    try {
      const first = await cycleOutcome(wire, { ...config, sources: config.sources.slice(0, 1) });
      expect(first.reports[0]?.outcome).toBe('ok');
      const before = committed(config.database);
      const filler = fs ? join(fs.dir, 'filler') : null;
      if (filler) fillDisk(filler);
      else wire.store.db.pragma(`max_page_count = ${wire.store.db.pragma('page_count', { simple: true }) as number}`);

      reviseEverything(1);
      const full = await cycleOutcome(wire, config);
      const failures = full.thrown ? [full.thrown] : full.reports.filter((r) => r.outcome === 'error').map((r) => r.error!);
      expect(failures.length).toBeGreaterThan(0);
      for (const failure of failures) expect(`${failure.kind}: ${failure.message}`).toMatch(/^StoreError: /);
      const during = committed(config.database);
      expect(during.integrity).toBe('ok');
      for (const url of before.urls) expect(during.urls).toContain(url);

      if (filler) rmSync(filler);
      else wire.store.db.pragma('max_page_count = 1073741823');
      const again = await cycleOutcome(wire, config);
      expect(again.thrown).toBeNull();
      expect(again.reports.every((r) => r.outcome === 'ok'), JSON.stringify(again.reports.map((r) => r.error))).toBe(true);
      const after = committed(config.database);
      expect(after.integrity).toBe('ok');
      expect(after.urls.length).toBeGreaterThan(before.urls.length);
    } finally {
      await wire.close();
      fs?.close();
    }
  });

  it('a database file made read-only under a running wire fails the ingest with a named error, and recovers when writable again', async (context) => {
    const config = writeTestConfig(site).config;
    const wire = openWire(config, silentLogger);
    const files = [config.database, `${config.database}-wal`];
    try {
      expect((await cycleOutcome(wire, config)).reports.every((r) => r.outcome === 'ok')).toBe(true);
      const before = committed(config.database);
      if (!setImmutable(files, true)) return context.skip('chattr +i is not available here (needs root)');
      reviseEverything(2);
      const readOnly = await cycleOutcome(wire, config);
      const failures = readOnly.thrown ? [readOnly.thrown] : readOnly.reports.filter((r) => r.outcome === 'error').map((r) => r.error!);
      expect(failures.length).toBeGreaterThan(0);
      for (const failure of failures) expect(`${failure.kind}: ${failure.message}`).toMatch(/^StoreError: /);
      expect(wire.store.articleCount()).toBe(before.urls.length);

      setImmutable(files, false);
      const again = await cycleOutcome(wire, config);
      expect(again.thrown).toBeNull();
      expect(again.reports.every((r) => r.outcome === 'ok'), JSON.stringify(again.reports.map((r) => r.error))).toBe(true);
      const after = committed(config.database);
      expect(after.integrity).toBe('ok');
      expect(after.urls).toEqual(before.urls);
      expect(wire.store.db.prepare("SELECT COUNT(*) FROM articles WHERE title LIKE '%(round 2)'").pluck().get()).toBeGreaterThan(0);
    } finally {
      setImmutable(files, false);
      await wire.close();
    }
  });
});

function fillDisk(file: string): void {
  const chunk = Buffer.alloc(1024 * 1024, 1);
  try {
    for (let i = 0; i < 1024; i += 1) writeFileSync(file, chunk, { flag: 'a' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    return;
  }
  throw new Error('the scratch file system never filled up');
}

describe('a source that hangs forever', () => {
  it('times out with a named kind and backs off, while the scheduler keeps fetching the others', async () => {
    const { config } = writeTestConfig(site, {
      extra: [{ id: 'hangs', path: FIXTURE_FAULTS.hang }],
      fetch: { timeoutMs: 1500, headersTimeoutMs: 1000 },
    });
    const wire = openWire(config, silentLogger);
    const reports: SourceReport[] = [];
    const scheduler = startScheduler(wire, config.sources, { articles: false, startupJitterMs: 1, onReport: (report) => reports.push(report) });
    try {
      await until('every source to report once', () => config.sources.every((s) => reports.some((r) => r.source === s.id)));
      const hang = reports.find((r) => r.source === 'hangs')!;
      expect(hang.error?.kind).toBe('Timeout');
      expect(Date.parse(hang.nextFetchAt)).toBeGreaterThan(Date.now());
      expect(wire.store.sourceState('hangs')).toMatchObject({ errorKind: 'Timeout', consecutiveErrors: 1 });
      for (const report of reports.filter((r) => r.source !== 'hangs')) expect(report.outcome, report.source).toBe('ok');
      expect(wire.store.articleCount()).toBeGreaterThan(0);
      expect(scheduler.running()).toBe(0);
    } finally {
      await scheduler.stop(1000);
      await wire.close();
    }
  });
});

describe('the clock jumping', () => {
  const YEAR_MS = 365 * 24 * 3_600_000;

  it('a source scheduled from a clock ten years ahead is fetched again once the clock is back', async () => {
    const { config } = writeTestConfig(site, { outlets: false, extra: [{ id: 'first', path: new URL(site.outlets[0]!.feedUrl).pathname }] });
    const wire = openWire(config, silentLogger);
    try {
      const ahead = { ...wire, now: () => new Date(Date.now() + 10 * YEAR_MS) };
      const first = (await cycle(ahead, config, false))[0]!;
      expect(first.outcome).toBe('ok');
      expect(Date.parse(first.nextFetchAt)).toBeGreaterThan(Date.now() + 9 * YEAR_MS);

      // Back to the real time: the daemon's scheduler must not wait ten years.
      const reports: SourceReport[] = [];
      const scheduler = startScheduler(wire, config.sources, { articles: false, startupJitterMs: 1, onReport: (report) => reports.push(report) });
      try {
        await until('the source to be fetched again', () => reports.length > 0);
        expect(reports[0]!.outcome).toBe('not-modified');
        expect(Date.parse(reports[0]!.nextFetchAt)).toBeLessThan(Date.now() + 2 * 24 * 3_600_000);
      } finally {
        await scheduler.stop(1000);
      }
    } finally {
      await wire.close();
    }
  });

  it('a clock ten years behind neither loses nor duplicates articles, and the real clock carries on', async () => {
    const { config } = writeTestConfig(site, { outlets: false, extra: [{ id: 'first', path: new URL(site.outlets[0]!.feedUrl).pathname }] });
    const wire = openWire(config, silentLogger);
    try {
      const behind = { ...wire, now: () => new Date(Date.now() - 10 * YEAR_MS) };
      expect((await cycle(behind, config, false))[0]!.outcome).toBe('ok');
      const stored = committed(config.database).urls;
      expect(stored.length).toBeGreaterThan(0);
      reviseEverything(3);
      const real = (await cycle(wire, config, false))[0]!;
      expect(real.outcome, JSON.stringify(real.error)).toBe('ok');
      expect(real.new).toBe(0);
      expect(committed(config.database).urls).toEqual(stored);
      expect(Date.parse(real.nextFetchAt)).toBeGreaterThan(Date.now());
    } finally {
      await wire.close();
    }
  });
});
