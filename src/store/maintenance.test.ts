import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { isSecwireError } from '../errors.js';
import { openDatabase, schemaVersion, type Db } from './db.js';
import { acquireInstanceLock, backupDatabase, databaseSizeBytes, pruneArticles, setKeep } from './maintenance.js';
import { MIGRATIONS } from './migrations.js';

const open: Db[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

function tempDb(): { db: Db; path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'secwire-maint-'));
  const path = join(dir, 'wire.db');
  const db = openDatabase(path);
  open.push(db);
  return { db, path, dir };
}

function addArticle(db: Db, slug: string, firstSeen: string, storyId: number | null = null): number {
  const info = db
    .prepare(
      `INSERT INTO articles (source_id, url, canonical_url, title, first_seen, sort_date, feed_hash, content_hash, story_id, text)
       VALUES ('src', ?, ?, ?, ?, ?, 'f', 'c', ?, 'body words')`,
    )
    .run(`https://example.test/${slug}`, `https://example.test/${slug}`, slug, firstSeen, firstSeen, storyId);
  db.prepare("INSERT INTO sightings (source_id, item_key, article_id, url, first_seen) VALUES ('src', ?, ?, ?, ?)").run(slug, info.lastInsertRowid, `https://example.test/${slug}`, firstSeen);
  return Number(info.lastInsertRowid);
}

const titles = (db: Db): string[] => db.prepare('SELECT title FROM articles ORDER BY title').pluck().all() as string[];

describe('pruneArticles', () => {
  const cutoff = new Date('2026-01-01T00:00:00Z');

  it('deletes old articles with their sightings and search rows, and keeps young and starred ones', () => {
    const { db } = tempDb();
    addArticle(db, 'old', '2025-06-01T00:00:00Z');
    addArticle(db, 'young', '2026-02-01T00:00:00Z');
    setKeep(db, addArticle(db, 'starred', '2025-01-01T00:00:00Z'), true);
    const report = pruneArticles(db, { cutoff, batchSize: 1 });
    expect(report).toEqual({ cutoff: cutoff.toISOString(), deleted: 1, keptForStories: 0, keptStarred: 1 });
    expect(titles(db)).toEqual(['starred', 'young']);
    expect(db.prepare('SELECT item_key FROM sightings ORDER BY 1').pluck().all()).toEqual(['starred', 'young']);
    expect(db.prepare("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'body'").pluck().get()).toBe(2);
  });

  it('keeps old members of a story until the whole story has expired', () => {
    const { db } = tempDb();
    addArticle(db, 'story1-old', '2025-06-01T00:00:00Z', 1);
    addArticle(db, 'story1-young', '2026-02-01T00:00:00Z', 1);
    addArticle(db, 'story2-old-a', '2025-06-01T00:00:00Z', 2);
    addArticle(db, 'story2-old-b', '2025-07-01T00:00:00Z', 2);
    setKeep(db, addArticle(db, 'story3-starred', '2025-06-01T00:00:00Z', 3), true);
    addArticle(db, 'story3-old', '2025-06-01T00:00:00Z', 3);
    const report = pruneArticles(db, { cutoff });
    expect(report.deleted).toBe(2);
    expect(report.keptForStories).toBe(2);
    expect(titles(db)).toEqual(['story1-old', 'story1-young', 'story3-old', 'story3-starred']);
  });

  it('refuses a nonsense batch size and reports unknown articles for setKeep', () => {
    const { db } = tempDb();
    expect(() => pruneArticles(db, { cutoff, batchSize: 0 })).toThrow(/batch size/);
    expect(() => setKeep(db, 999, true)).toThrow(/no article 999/);
  });
});

describe('backupDatabase', () => {
  it('writes a consistent copy that opens and holds the same rows, and never overwrites by accident', () => {
    const { db, dir, path } = tempDb();
    addArticle(db, 'a', '2026-02-01T00:00:00Z');
    const file = join(dir, 'backups', 'copy.db');
    const report = backupDatabase(db, file);
    expect(report.bytes).toBeGreaterThan(0);
    const copy = new Database(file, { readonly: true });
    expect(copy.prepare('SELECT title FROM articles').pluck().all()).toEqual(['a']);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    expect(() => backupDatabase(db, file)).toThrow(/already exists/);
    expect(readdirSync(join(dir, 'backups'))).toEqual(['copy.db']);
    expect(databaseSizeBytes(path)).toBeGreaterThan(0);
  });
});

describe('migrations', () => {
  it('back up an existing database before a schema change, not a fresh one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-migrate-'));
    openDatabase(join(dir, 'fresh.db')).close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([]);
    // A database as release 2 left it: only the first two migrations applied.
    const path = join(dir, 'wire.db');
    const older = new Database(path);
    older.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
    for (const migration of MIGRATIONS.filter((m) => m.version <= 2)) {
      older.exec(migration.sql);
      older.prepare('INSERT INTO migrations VALUES (?, ?, ?)').run(migration.version, migration.name, '2026-01-01T00:00:00Z');
    }
    older.close();
    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    const upgraded = openDatabase(path);
    expect(schemaVersion(upgraded)).toBe(latest);
    upgraded.close();
    const backup = new Database(`${path}.v2-before-v${latest}.bak`, { readonly: true });
    expect(backup.prepare('SELECT MAX(version) FROM migrations').pluck().get()).toBe(2);
    backup.close();
  });
});

describe('acquireInstanceLock', () => {
  it('lets one holder in, names it to the next, and frees the lock on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-lock-'));
    const path = join(dir, 'wire.db');
    const first = acquireInstanceLock(path);
    let thrown: unknown;
    try {
      acquireInstanceLock(path, () => 'pid 4242');
    } catch (error) {
      thrown = error;
    }
    expect(isSecwireError(thrown) && thrown.kind).toBe('Locked');
    expect((thrown as Error).message).toContain('(pid 4242)');
    first.release();
    const second = acquireInstanceLock(path);
    second.release();
  });
});
