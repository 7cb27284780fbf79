/**
 * Keeping the archive healthy: retention, consistent backups, the daemon's single-instance lock and the
 * backup taken before a schema change.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { SecwireError } from '../errors.js';
import type { Db } from './db.js';

export interface PruneOptions {
  /** Articles first seen before this instant are candidates. */
  cutoff: Date;
  /** Rows deleted per transaction, so a long prune never holds the write lock for long. */
  batchSize?: number;
}

export interface PruneReport {
  cutoff: string;
  deleted: number;
  /** Old articles kept because another member of their story is still inside the retention window. */
  keptForStories: number;
  /** Old articles kept because they carry the `keep` flag. */
  keptStarred: number;
}

const DEFAULT_PRUNE_BATCH = 500;

/**
 * Age is measured from `first_seen`, not the published date: an old article that a feed still lists would
 * otherwise be deleted and re-inserted on every fetch. A story lives as long as any member is young or kept.
 */
const PRUNABLE = `
  FROM articles
  WHERE first_seen < @cutoff AND keep = 0
    AND (story_id IS NULL OR NOT EXISTS (
      SELECT 1 FROM articles AS alive
      WHERE alive.story_id = articles.story_id AND (alive.first_seen >= @cutoff OR alive.keep = 1)))`;

export function pruneArticles(db: Db, options: PruneOptions): PruneReport {
  const cutoff = options.cutoff.toISOString();
  const batchSize = options.batchSize ?? DEFAULT_PRUNE_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new SecwireError('UsageError', `prune batch size must be a positive integer, not ${batchSize}`);
  const deleteBatch = db.prepare(`DELETE FROM articles WHERE id IN (SELECT id ${PRUNABLE} LIMIT @batch)`);
  const runBatch = db.transaction(() => deleteBatch.run({ cutoff, batch: batchSize }).changes);
  let deleted = 0;
  try {
    for (let changes = runBatch.immediate(); changes > 0; changes = runBatch.immediate()) deleted += changes;
  } catch (error) {
    throw new SecwireError('StoreError', `pruning articles older than ${cutoff} failed after ${deleted} deletions: ${(error as Error).message}`, { cutoff, deleted }, { cause: error });
  }
  const count = (sql: string): number => db.prepare(sql).pluck().get({ cutoff }) as number;
  return {
    cutoff,
    deleted,
    keptForStories: count('SELECT COUNT(*) FROM articles WHERE first_seen < @cutoff AND keep = 0'),
    keptStarred: count('SELECT COUNT(*) FROM articles WHERE first_seen < @cutoff AND keep = 1'),
  };
}

/** Marks or unmarks an article as starred: retention never deletes it. */
export function setKeep(db: Db, articleId: number, keep: boolean): void {
  const changes = db.prepare('UPDATE articles SET keep = ? WHERE id = ?').run(keep ? 1 : 0, articleId).changes;
  if (changes === 0) throw new SecwireError('NotFound', `no article ${articleId}`);
}

export interface BackupReport {
  file: string;
  bytes: number;
}

/**
 * A consistent copy while other connections write: `VACUUM INTO` reads one snapshot (WAL keeps writers going)
 * and writes a compact file. It goes to a temporary name first so FILE is never half-written.
 */
export function backupDatabase(db: Db, file: string, options: { overwrite?: boolean } = {}): BackupReport {
  if (existsSync(file) && !options.overwrite) throw new SecwireError('UsageError', `${file} already exists (choose a new name or remove it)`, { file });
  mkdirSync(dirname(file), { recursive: true });
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  rmSync(partial, { force: true });
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new SecwireError('StoreError', `backup to ${file} failed: ${(error as Error).message}`, { file }, { cause: error });
  }
  return { file, bytes: statSync(file).size };
}

/**
 * Called before pending migrations run on a database that already has a schema: the copy lets an operator
 * roll back an upgrade. Fresh databases have nothing to save.
 */
export function backupBeforeMigration(db: Db, path: string, fromVersion: number, toVersion: number): BackupReport | null {
  if (path === ':memory:' || path === '' || fromVersion === 0) return null;
  return backupDatabase(db, `${path}.v${fromVersion}-before-v${toVersion}.bak`, { overwrite: true });
}

/** Bytes on disk of the database, its WAL and shared-memory files. */
export function databaseSizeBytes(path: string): number {
  return ['', '-wal', '-shm'].reduce((sum, suffix) => {
    try {
      return sum + statSync(`${path}${suffix}`).size;
    } catch {
      return sum;
    }
  }, 0);
}

export interface InstanceLock {
  readonly file: string;
  release(): void;
}

/**
 * The daemon's single-instance lock: an exclusive SQLite lock on `<database>.lock`, held for the life of the
 * process. SQLite takes it with POSIX advisory locks, which the kernel drops when the process dies, even by
 * SIGKILL: no stale lock file, no heartbeat to wait out, no pid that may have been reused. `holder` names the
 * running daemon in the error when it can be read (the main database's meta table keeps it).
 */
export function acquireInstanceLock(databasePath: string, holder: () => string | null = () => null): InstanceLock {
  const file = `${databasePath}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  let lockDb: Db;
  try {
    lockDb = new Database(file, { timeout: 0 });
  } catch (error) {
    throw new SecwireError('StoreError', `cannot open lock file ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  try {
    lockDb.pragma('locking_mode = EXCLUSIVE');
    lockDb.pragma('journal_mode = MEMORY');
    // In EXCLUSIVE locking mode the write lock taken here is kept after COMMIT until the connection closes.
    lockDb.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL); DELETE FROM holder;');
    lockDb.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
    lockDb.exec('COMMIT');
  } catch (error) {
    lockDb.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      const who = holder();
      throw new SecwireError('Locked', `another secwire daemon${who ? ` (${who})` : ''} is already running on ${databasePath}; stop it first`, { file });
    }
    throw new SecwireError('StoreError', `cannot lock ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  return {
    file,
    release() {
      if (lockDb.open) lockDb.close();
    },
  };
}
