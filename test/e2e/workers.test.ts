import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { runCli as secwire } from '../support/cli.js';
import { writeTestConfig } from '../support/wire.js';

/** What an ingest decides about each article, without the times of the run. */
function storedArticles(file: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT canonical_url, source_id, title, authors, published, published_source, lang, image, summary, text, html, extract_error, tag_text,
           (SELECT json_group_array(slug || ' ' || mentions) FROM (SELECT slug, mentions FROM tags WHERE article_id = a.id ORDER BY slug)) AS tags,
           (SELECT json_group_array(type || ' ' || value) FROM (SELECT type, value FROM iocs WHERE article_id = a.id ORDER BY type, value)) AS iocs
         FROM articles a ORDER BY canonical_url`,
      )
      .all();
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

describe('fetch with worker threads', () => {
  it('stores the same articles, pages extracted and tagged, as drafting on the main thread', async () => {
    // Not the relay outlet: it reposts another outlet's article, and which of the two sources stores it first (and
    // whether the other still fetches the page) is a race between concurrent sources, not a property of workers.
    const outlets = site.outlets.filter((outlet) => outlet.id !== 'wire-relay').map((outlet) => ({ id: outlet.id, name: outlet.name, path: new URL(outlet.feedUrl).pathname, articles: outlet.articles }));
    const onMain = writeTestConfig(site, { outlets: false, extra: outlets, fetch: { workers: 0 } });
    const inWorkers = writeTestConfig(site, { outlets: false, extra: outlets, fetch: { workers: 2 } });
    const [main, workers] = await Promise.all([secwire(['fetch', '--config', onMain.file, '--json']), secwire(['fetch', '--config', inWorkers.file, '--json'])]);
    expect(main.stderr).not.toMatch(/could not start/);
    expect(workers.stderr).not.toMatch(/could not start/);
    expect(workers.status).toBe(main.status);
    const extracted = (run: { stdout: string }): number => (JSON.parse(run.stdout) as { sources: { extracted: number }[] }).sources.reduce((sum, s) => sum + s.extracted, 0);
    expect(extracted(workers)).toBeGreaterThan(0);
    expect(extracted(workers)).toBe(extracted(main));
    const articles = storedArticles(onMain.config.database);
    expect(articles.length).toBeGreaterThan(0);
    expect(storedArticles(inWorkers.config.database)).toEqual(articles);
  });
});
