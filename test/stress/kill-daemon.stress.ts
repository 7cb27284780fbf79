import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { sleep, startDaemon, until } from '../support/hostile-process.js';
import { writeTestConfig } from '../support/wire.js';

const KILLS = Number(process.env['SECWIRE_STRESS_KILLS'] ?? 20);

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(async () => {
  await site.close();
});

function withDb<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

// test/e2e/daemon.test.ts kills `secwire fetch`; this kills the daemon, mid-ingest and mid-serve, with its lock,
// start-up retention and scheduler in play, and checks each restart takes over.
describe('SIGKILL of the daemon', () => {
  it(`loses nothing committed and restarts cleanly after ${KILLS} kills at random points`, async () => {
    const { file, config } = writeTestConfig(site);
    let committed = new Set<string>();
    for (let i = 0; i < KILLS; i += 1) {
      const article = site.articles[i % site.articles.length]!;
      site.reviseArticle(`${article.outlet}/${article.slug}`, { title: `${article.title} (kill ${i})`, updated: new Date(Date.UTC(2026, 10, 4, 0, i)).toISOString() });
      // Due again: the previous run scheduled every source ahead.
      if (i > 0) withDb(config.database, (db) => db.prepare('UPDATE sources SET next_fetch_at = NULL').run());
      const daemon = await startDaemon(file);
      const loading = fetch(`${daemon.url}/feeds/all.atom?full=1`).then((r) => r.status, () => null);
      await sleep(Math.random() * 3_000);
      daemon.child.kill('SIGKILL');
      await daemon.exited;
      expect([200, null]).toContain(await loading);
      const now = withDb(config.database, (db) => {
        if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'articles'").get()) return new Set<string>();
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.prepare('SELECT COUNT(*) FROM (SELECT canonical_url FROM articles GROUP BY canonical_url HAVING COUNT(*) > 1)').pluck().get()).toBe(0);
        return new Set(db.prepare('SELECT canonical_url FROM articles').pluck().all() as string[]);
      });
      for (const url of committed) expect(now.has(url), `${url} lost after kill ${i + 1}`).toBe(true);
      committed = now;
    }
    const last = await startDaemon(file);
    await until('a successful fetch after the kills', async () => ((await (await fetch(`${last.url}/healthz`)).json()) as { lastSuccessAt?: string }).lastSuccessAt);
    expect((await fetch(`${last.url}/feeds/all.atom`)).status).toBe(200);
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
    expect(withDb(config.database, (db) => db.pragma('integrity_check', { simple: true }))).toBe('ok');
  });
});
