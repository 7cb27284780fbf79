import { setMaxListeners } from 'node:events';
import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';
import { ingestSource, type SourceReport, type Wire } from '../pipeline.js';
import type { SourceConfig } from '../types.js';

export interface Scheduler {
  /**
   * Stops scheduling and waits for running ingests; after `timeoutMs` they are aborted (each ingest is one
   * transaction, so an aborted one stores nothing half-way) and awaited once more.
   */
  stop(timeoutMs: number): Promise<{ aborted: number }>;
  /** Applies a new source list: removed sources stop, new and changed ones are (re)scheduled. */
  update(sources: SourceConfig[]): { added: string[]; changed: string[]; removed: string[] };
  running(): number;
}

export interface SchedulerOptions {
  articles: boolean;
  /** Spreads the first fetches so 40 sources do not fire in the same second. */
  startupJitterMs: number;
  onReport?: (report: SourceReport) => void;
}

interface Entry {
  source: SourceConfig;
  fingerprint: string;
  task: ScheduledTask;
  timer: NodeJS.Timeout;
}

/**
 * One node-cron task per source. A source due by cron but still inside its Retry-After, TTL or backoff window
 * is skipped; a source still running is skipped too (node-cron's `noOverlap` covers cron ticks only, not the
 * start-up run or a task rescheduled by a reload), and sources run independently of each other.
 */
export function startScheduler(wire: Wire, sources: SourceConfig[], options: SchedulerOptions): Scheduler {
  const inFlight = new Map<string, Promise<void>>();
  const entries = new Map<string, Entry>();
  const abort = new AbortController();
  // Every in-flight request of every source listens on this one signal (each removes its listener when done):
  // dozens at once is the design, not a leak.
  setMaxListeners(0, abort.signal);
  let stopping = false;

  const run = (source: SourceConfig, reason: string): Promise<void> => {
    if (stopping) return Promise.resolve();
    const running = inFlight.get(source.id);
    if (running) {
      wire.logger.debug({ source: source.id, reason }, `${source.id}: still running, skipped`);
      return running;
    }
    const state = wire.store.sourceState(source.id);
    const waitMs = state?.nextFetchAt ? Date.parse(state.nextFetchAt) - Date.now() : 0;
    // A fetch is never scheduled further ahead than maxIntervalMs: a longer wait was set by a clock that has since jumped back.
    if (waitMs > 0 && waitMs <= wire.config.fetch.maxIntervalMs) {
      wire.logger.debug({ source: source.id, nextFetchAt: state?.nextFetchAt, why: state?.nextFetchReason }, `${source.id}: not due yet`);
      return Promise.resolve();
    }
    wire.logger.debug({ source: source.id, reason }, `${source.id}: fetching`);
    const job = ingestSource(wire, source, { articles: options.articles, signal: abort.signal })
      .then((report) => options.onReport?.(report))
      .catch((error: unknown) => wire.logger.error({ err: error, source: source.id }, `${source.id}: ingest failed`))
      .finally(() => inFlight.delete(source.id));
    inFlight.set(source.id, job);
    return job;
  };

  const schedule = (source: SourceConfig): Entry => {
    const task = cron.schedule(source.schedule, () => run(source, 'cron'), { name: source.id, noOverlap: true, logger: cronLogger(wire.logger) });
    const timer = setTimeout(() => void run(source, 'start-up'), Math.floor(Math.random() * options.startupJitterMs));
    return { source, fingerprint: JSON.stringify(source), task, timer };
  };

  const unschedule = async (entry: Entry): Promise<void> => {
    clearTimeout(entry.timer);
    await entry.task.destroy();
  };

  for (const source of sources) entries.set(source.id, schedule(source));

  return {
    update(next) {
      const result = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
      const wanted = new Map(next.map((source) => [source.id, source]));
      for (const [id, entry] of entries) {
        if (wanted.has(id)) continue;
        void unschedule(entry);
        entries.delete(id);
        result.removed.push(id);
      }
      for (const source of next) {
        const entry = entries.get(source.id);
        if (entry && entry.fingerprint === JSON.stringify(source)) continue;
        if (entry) void unschedule(entry);
        entries.set(source.id, schedule(source));
        (entry ? result.changed : result.added).push(source.id);
      }
      return result;
    },
    async stop(timeoutMs) {
      stopping = true;
      await Promise.all([...entries.values()].map(unschedule));
      entries.clear();
      let timer: NodeJS.Timeout | undefined;
      const finished = Promise.allSettled([...inFlight.values()]).then(() => true);
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const done = await Promise.race([finished, timedOut]);
      clearTimeout(timer);
      if (done) return { aborted: 0 };
      const aborted = inFlight.size;
      wire.logger.warn({ sources: [...inFlight.keys()] }, `${aborted} ingests still running after ${timeoutMs} ms: aborting them`);
      abort.abort();
      await Promise.allSettled([...inFlight.values()]);
      return { aborted };
    },
    running: () => inFlight.size,
  };
}

function cronLogger(logger: Logger): CronLogger {
  return {
    info: (message) => logger.debug(message),
    warn: (message) => logger.warn(message),
    error: (message, err) => logger.error({ err }, String(message)),
    debug: (message, err) => logger.debug({ err }, String(message)),
  };
}
