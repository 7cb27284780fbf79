/**
 * The wire, one source at a time: fetch -> parse -> extract -> tag -> dedupe + store.
 * Each stage lives in its own folder; this file only says in which order they run.
 */
import { setFlagsFromString } from 'node:v8';
import PQueue from 'p-queue';
import type { Config } from './config/load.js';
import { SecwireError, toSecwireError } from './errors.js';
import { fetchPage } from './fetchers/fetch-feed.js';
import { fetchSource } from './fetchers/kinds/index.js';
import { computeNextFetch, scheduleIntervalMs } from './fetchers/next-fetch.js';
import type { HttpClient } from './fetchers/types.js';
import type { Logger } from './log.js';
import type { ItemDraft, ItemJob } from './pipeline-draft.js';
import { createGate, type Gate } from './pipeline-gate.js';
import { createWorkerPool, WorkerStopped, workerScriptExists, type WorkerPool } from './pipeline-pool.js';
import { identifyItem } from './store/draft.js';
import type { Store } from './store/store.js';
import type { ArticleDraft, IngestCounts } from './store/types.js';
import type { Tagger } from './tagging/index.js';
import type { FeedItem, SourceConfig } from './types.js';

export interface Wire {
  config: Config;
  store: Store;
  http: HttpClient;
  tagger: Tagger;
  logger: Logger;
  now?: () => Date;
}

export interface IngestOptions {
  /** Fetch and extract article pages for sources with `articles: true`. */
  articles: boolean;
  signal?: AbortSignal;
}

export interface SourceReport extends IngestCounts {
  source: string;
  outcome: 'ok' | 'not-modified' | 'error';
  status: number | null;
  items: number;
  extracted: number;
  extractFailed: number;
  durationMs: number;
  nextFetchAt: string;
  error: { kind: string; message: string; details: Record<string, unknown> } | null;
}

const NO_COUNTS: IngestCounts = { new: 0, updated: 0, duplicates: 0, unchanged: 0 };

/**
 * Old-space growth allowed between full collections while ingesting: V8 grows the heap to up to 4x what the
 * last full collection kept, and an ingest makes garbage that outlives the young generation (page bodies that
 * arrive in chunks while other pages are extracted, the documents extraction builds). bench:ingest at 10,000
 * pages (load 6): peak RSS 457 -> 313 MB, heap 218 -> 119 MB; at 3,000 pages major-GC pauses 0.2 -> 1.1 s of
 * ~30 s CPU (100%: 286 MB, 0.8 s). A growth factor is no limit: the heap still grows as far as live data needs
 * (a big search or export in the daemon cannot run out of memory because of it); full collections only come
 * sooner. README "Memory".
 */
const INGEST_HEAP_GROWING_PERCENT = 50;
let heapGrowthBounded = false;

function boundHeapGrowth(): void {
  if (heapGrowthBounded) return;
  heapGrowthBounded = true;
  // V8 reads this flag at every full collection, so setting it at run time takes effect from the next one.
  setFlagsFromString(`--heap-growing-percent=${INGEST_HEAP_GROWING_PERCENT}`);
}

export async function ingestSource(wire: Wire, source: SourceConfig, options: IngestOptions): Promise<SourceReport> {
  boundHeapGrowth();
  const started = Date.now();
  const now = wire.now?.() ?? new Date();
  const state = wire.store.sourceState(source.id);
  const schedule = { minIntervalMs: scheduleIntervalMs(source.schedule), maxIntervalMs: wire.config.fetch.maxIntervalMs };
  const finish = (partial: Omit<SourceReport, 'source' | 'durationMs'>): SourceReport => {
    const report = { source: source.id, durationMs: Date.now() - started, ...partial };
    wire.logger.info({ source: source.id, outcome: report.outcome, status: report.status, new: report.new, updated: report.updated, duplicates: report.duplicates, ms: report.durationMs, ...(report.error ? { error: report.error.kind } : {}) }, report.error ? `${source.id}: ${report.error.kind}: ${report.error.message}` : `${source.id}: ${report.outcome}`);
    return report;
  };
  try {
    const fetched = await fetchSource(wire.http, source, { validators: { etag: state?.etag ?? null, lastModified: state?.lastModified ?? null }, now, signal: options.signal });
    if (fetched.notModified) {
      const next = computeNextFetch({ now, outcome: 'not-modified', headers: fetched.headers, ttlMinutes: state?.ttlMinutes ?? null, recentItemDates: [], consecutiveErrors: 0, ...schedule });
      wire.store.recordFetch(source.id, { at: now.toISOString(), status: fetched.status, errorKind: null, errorMessage: null, nextFetchAt: next.at.toISOString(), nextFetchReason: next.reason, durationMs: Date.now() - started });
      return finish({ ...NO_COUNTS, outcome: 'not-modified', status: fetched.status, items: 0, extracted: 0, extractFailed: 0, nextFetchAt: next.at.toISOString(), error: null });
    }
    const { feed } = fetched;
    const drafts = await articlePhase(wire).run(() => draftItems(wire, source, feed.items, options));
    // Pages cut short by an abort would be stored without their bodies: store nothing instead.
    options.signal?.throwIfAborted();
    const next = computeNextFetch({ now, outcome: 'ok', headers: fetched.headers, ttlMinutes: feed.ttlMinutes, recentItemDates: feed.items.map((i) => i.published).filter((d): d is string => d !== null), consecutiveErrors: 0, ...schedule });
    const counts = wire.store.ingest(source.id, drafts.drafts, {
      at: now.toISOString(),
      status: fetched.status,
      etag: fetched.validators.etag,
      lastModified: fetched.validators.lastModified,
      errorKind: null,
      errorMessage: null,
      nextFetchAt: next.at.toISOString(),
      nextFetchReason: next.reason,
      durationMs: Date.now() - started,
      ttlMinutes: feed.ttlMinutes,
      feedTitle: feed.title,
      feedLink: feed.link,
      articlesExtracted: drafts.extracted,
      articlesFailed: drafts.failed,
    });
    return finish({ ...counts, unchanged: counts.unchanged + drafts.skipped, outcome: 'ok', status: fetched.status, items: feed.items.length, extracted: drafts.extracted, extractFailed: drafts.failed, nextFetchAt: next.at.toISOString(), error: null });
  } catch (thrown) {
    const error = toSecwireError(thrown, isSqliteError(thrown) ? 'StoreError' : 'Network');
    const retryAfterMs = typeof error.details['retryAfterMs'] === 'number' ? error.details['retryAfterMs'] : null;
    const next = computeNextFetch({ now, outcome: 'error', errorKind: error.kind, retryAfterMs, headers: {}, ttlMinutes: null, recentItemDates: [], consecutiveErrors: (state?.consecutiveErrors ?? 0) + 1, ...schedule });
    const status = typeof error.details['status'] === 'number' ? error.details['status'] : null;
    try {
      wire.store.recordFetch(source.id, { at: now.toISOString(), status, errorKind: error.kind, errorMessage: error.message, nextFetchAt: next.at.toISOString(), nextFetchReason: next.reason, durationMs: Date.now() - started });
    } catch (recordError) {
      // A full or read-only disk refuses this note too; the report below still tells the caller what failed.
      wire.logger.error({ source: source.id, err: recordError }, `${source.id}: fetch state not recorded: ${(recordError as Error).message}`);
    }
    return finish({ ...NO_COUNTS, outcome: 'error', status, items: 0, extracted: 0, extractFailed: 0, nextFetchAt: next.at.toISOString(), error: { kind: error.kind, message: error.message, details: error.details } });
  }
}

/** better-sqlite3's errors carry SQLite's result code ("SQLITE_FULL", "SQLITE_IOERR_WRITE", ...). */
function isSqliteError(error: unknown): boolean {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

interface DraftBatch {
  drafts: ArticleDraft[];
  extracted: number;
  failed: number;
  skipped: number;
}

/** Items the store already holds unchanged cost nothing: no page fetch, no extraction, no tagging, no write. */
async function draftItems(wire: Wire, source: SourceConfig, items: FeedItem[], options: IngestOptions): Promise<DraftBatch> {
  const batch: DraftBatch = { drafts: [], extracted: 0, failed: 0, skipped: 0 };
  const queue = new PQueue({ concurrency: wire.config.fetch.articleConcurrency });
  const seen = new Set<string>();
  const jobSource = { id: source.id, url: source.url, tags: source.tags, rules: source.rules };
  const drafts = await Promise.all(
    items.map((item) =>
      queue.add(async () => {
        const identity = identifyItem(source.id, item);
        if (seen.has(identity.itemKey)) return null;
        seen.add(identity.itemKey);
        const known = wire.store.knownItem(source.id, identity.itemKey, identity.canonicalUrl, item.title);
        if (known && known.feedHash === identity.feedHash && !known.ownedByOtherSource) {
          batch.skipped += 1;
          return null;
        }
        const wantPage = options.articles && source.articles && item.link !== null && !known?.ownedByOtherSource;
        const page = wantPage ? await fetchItemPage(wire, item.link!, options.signal) : { page: null, pageError: null };
        const result = await draftInPool(wire, { source: jobSource, item, identity, ...page });
        if (result.extracted) batch.extracted += 1;
        if (result.extractError) {
          batch.failed += 1;
          wire.logger.debug({ source: source.id, url: item.link, error: result.extractError }, `article not extracted: ${result.extractError}`);
        }
        return result.draft;
      }),
    ),
  );
  batch.drafts = drafts.filter((d): d is ArticleDraft => d !== null && d !== undefined);
  return batch;
}

async function fetchItemPage(wire: Wire, url: string, signal?: AbortSignal): Promise<Pick<ItemJob, 'page' | 'pageError'>> {
  try {
    return { page: await fetchPage(wire.http, url, signal), pageError: null };
  } catch (thrown) {
    const error = toSecwireError(thrown);
    return { page: null, pageError: `${error.kind}: ${error.message}` };
  }
}

/**
 * Sources whose items are drafted at once (`fetch.articleSources`). All at once, every source finished at the end
 * of a cycle: the stores all came last, while extraction idled, and every draft waited in memory until then.
 */
const articlePhases = new WeakMap<Wire, Gate>();

function articlePhase(wire: Wire): Gate {
  let phase = articlePhases.get(wire);
  if (!phase) {
    phase = createGate(wire.config.fetch.articleSources);
    articlePhases.set(wire, phase);
  }
  return phase;
}

const WORKER_SCRIPT = new URL('./pipeline-worker.js', import.meta.url);
/** One pool per wire, made on first use; null when drafting runs on the main thread. */
const pools = new WeakMap<Wire, WorkerPool<ItemJob, ItemDraft> | null>();

/**
 * `fetch.workers` unset: drafting stays on the main thread. Measured on the 2-core bench machine, shared, a
 * worker cost more than it saved (its own start-up, tagger and JIT warm-up): fetch --no-articles 250x20 23.7
 * vs 21.6 s CPU, bench:ingest --quick 41 vs 50 articles/s; it pays where cores are idle and pages many.
 */
const DEFAULT_WORKERS = 0;

function poolOf(wire: Wire): WorkerPool<ItemJob, ItemDraft> | null {
  if (!pools.has(wire)) {
    const size = wire.config.fetch.workers ?? DEFAULT_WORKERS;
    // Worker threads load the compiled worker; run from TypeScript sources (tests) there is none to load.
    pools.set(wire, size > 0 && workerScriptExists(WORKER_SCRIPT) ? createWorkerPool<ItemJob, ItemDraft>(WORKER_SCRIPT, size, { groupOf: (job) => job.source.id }) : null);
  }
  return pools.get(wire) ?? null;
}

/** Extraction and tagging code: the main thread loads it only when it drafts items itself. */
async function draftHere(wire: Wire, job: ItemJob): Promise<ItemDraft> {
  const { draftItem } = await import('./pipeline-draft.js');
  return draftItem(wire.tagger, job);
}

/**
 * Drafts an item in a worker thread, or here without a pool. The workers use the default tagger; a worker
 * that dies on a page costs that page only: the item is drafted here from its feed entry.
 */
async function draftInPool(wire: Wire, job: ItemJob): Promise<ItemDraft> {
  const pool = poolOf(wire);
  if (!pool) return draftHere(wire, job);
  try {
    return await pool.run(job);
  } catch (thrown) {
    if (!(thrown instanceof WorkerStopped)) throw thrown;
    if (thrown.startFailed) {
      wire.logger.warn({ err: thrown }, `${thrown.message}; extracting on the main thread`);
      pools.set(wire, null);
      return draftHere(wire, job);
    }
    return draftHere(wire, { ...job, page: null, pageError: job.page ? `ParseError: ${thrown.message}` : job.pageError });
  }
}

export interface CycleOptions extends IngestOptions {
  /** Fetch sources even when under Retry-After or error backoff. */
  force: boolean;
  onSourceDone?: (report: SourceReport) => void;
}

export interface CycleReport {
  reports: SourceReport[];
  skipped: { source: string; nextFetchAt: string }[];
}

/** One ingest cycle over the given sources, all at once; the HTTP client bounds concurrency per host and overall. */
export async function runCycle(wire: Wire, sources: SourceConfig[], options: CycleOptions): Promise<CycleReport> {
  const now = wire.now?.() ?? new Date();
  const skipped: CycleReport['skipped'] = [];
  const due = sources.filter((source) => {
    if (options.force) return true;
    const state = wire.store.sourceState(source.id);
    const blocked = state?.nextFetchAt && state.errorKind && Date.parse(state.nextFetchAt) > now.getTime();
    if (blocked) skipped.push({ source: source.id, nextFetchAt: state.nextFetchAt! });
    return !blocked;
  });
  const reports = await Promise.all(
    due.map(async (source) => {
      const report = await ingestSource(wire, source, options);
      options.onSourceDone?.(report);
      return report;
    }),
  );
  try {
    wire.store.setMeta('last_cycle_at', now.toISOString());
    if (reports.some((r) => r.outcome !== 'error')) wire.store.setMeta('last_success_at', new Date().toISOString());
  } catch (error) {
    // A full or read-only disk: each source's report already names the StoreError, the cycle still returns them.
    wire.logger.error({ err: error }, `cycle time not recorded: ${(error as Error).message}`);
  }
  return { reports, skipped };
}

export function assertKnownSources(all: SourceConfig[], ids: string[]): SourceConfig[] {
  if (ids.length === 0) return all;
  return ids.map((id) => {
    const source = all.find((s) => s.id === id);
    if (!source) throw new SecwireError('UsageError', `unknown source "${id}" (see \`secwire sources list\`)`);
    return source;
  });
}
