/**
 * Loading many articles at once (a benchmark's synthetic archive, an import of an old archive): the same
 * `store.ingest` a fetch uses (same statements, tags, story placement, in the same order), with two costs
 * of the row-by-row path taken out:
 * - the full-text index is not written per article (its triggers are suspended) but rebuilt once at the end
 *   from the stored articles: one pass instead of many small segments merged over and over;
 * - many sources' batches share one transaction (ingest's own transactions become savepoints);
 * - foreign keys are not checked row by row (with them on, each `INSERT OR REPLACE` of a tag cost ~5x as much):
 *   every row a load writes points at the article it has just stored, and `PRAGMA foreign_key_check` runs
 *   over the whole database at the end; a violation fails the load.
 * The result is the archive an ingest of the same drafts in the same order builds; a test holds them to
 * the same search results, tags and stories.
 *
 * If the process dies mid-load, the suspended triggers' SQL is kept in `meta`: the next bulk load (or
 * `resumeBulkLoad`) puts them back and rebuilds the index before anything else.
 */
import { SecwireError } from '../errors.js';
import type { Store } from './store.js';
import type { ArticleDraft, FetchStateUpdate, IngestCounts } from './types.js';

export interface BulkItem {
  sourceId: string;
  drafts: ArticleDraft[];
  state: FetchStateUpdate;
}

export interface BulkLoadOptions {
  /** SQLite page cache while loading, in MiB: the story key index is read and written at random keys. */
  cacheMiB: number;
  /** Called after each committed batch with the articles stored so far. */
  onBatch?: (counts: IngestCounts) => void;
}

export const DEFAULT_BULK_LOAD_OPTIONS: BulkLoadOptions = { cacheMiB: 1024 };

/** All three: an update or delete trigger would tell the index to drop a row it was never given (a corrupt index). */
const FTS_TRIGGERS = ['articles_fts_insert', 'articles_fts_update', 'articles_fts_delete'];
/** Where the suspended triggers' SQL waits (a JSON array) while a bulk load runs. */
const SUSPENDED_META = 'bulk_load.suspended_triggers';

/** Stores every batch, each in one transaction, then rebuilds the full-text index once. */
export function bulkLoad(store: Store, batches: Iterable<BulkItem[]>, options: Partial<BulkLoadOptions> = {}): IngestCounts {
  const settings = { ...DEFAULT_BULK_LOAD_OPTIONS, ...options };
  const db = store.db;
  resumeBulkLoad(store);
  const triggerOf = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck();
  const triggers = FTS_TRIGGERS.map((name) => {
    const sql = triggerOf.get(name) as string | undefined;
    if (!sql) throw new SecwireError('StoreError', `bulk load needs the full-text trigger ${name}, which this database lacks`);
    return { name, sql };
  });
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${-Math.max(1, Math.trunc(settings.cacheMiB)) * 1024}`);
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    store.setMeta(SUSPENDED_META, JSON.stringify(triggers.map((trigger) => trigger.sql)));
    for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
  }).immediate();
  const counts: IngestCounts = { new: 0, updated: 0, duplicates: 0, unchanged: 0 };
  const storeBatch = db.transaction((batch: BulkItem[]) => {
    for (const item of batch) {
      const added = store.ingest(item.sourceId, item.drafts, item.state);
      counts.new += added.new;
      counts.updated += added.updated;
      counts.duplicates += added.duplicates;
      counts.unchanged += added.unchanged;
    }
  });
  try {
    for (const batch of batches) {
      storeBatch.immediate(batch);
      settings.onBatch?.({ ...counts });
    }
  } finally {
    resumeBulkLoad(store);
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = ${cacheBefore}`);
  }
  const violations = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  const first = violations[0];
  if (first) throw new SecwireError('StoreError', `bulk load left ${violations.length} rows pointing at missing rows (first: ${first.table} row ${first.rowid} -> ${first.parent})`);
  return counts;
}

/**
 * Finishes a bulk load that did not (the process died, or a batch failed): puts the full-text triggers back
 * and rebuilds the index from the articles. Does nothing when no bulk load was pending.
 */
export function resumeBulkLoad(store: Store): void {
  const suspended = store.meta(SUSPENDED_META);
  if (suspended === null) return;
  const db = store.db;
  db.transaction(() => {
    // CREATE TRIGGER IF NOT EXISTS: the process may have died after putting some back.
    for (const sql of JSON.parse(suspended) as string[]) db.exec(sql.replace(/^CREATE TRIGGER /i, 'CREATE TRIGGER IF NOT EXISTS '));
    db.exec("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')");
    db.prepare('DELETE FROM meta WHERE key = ?').run(SUSPENDED_META);
  }).immediate();
}
