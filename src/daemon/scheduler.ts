import cron, { type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from '../log.js';
import { ingestSource, type Wire } from '../pipeline.js';
import type { SourceConfig } from '../types.js';

export interface Scheduler {
  /** Resolves when every running ingest has finished. */
  stop(): Promise<void>;
  running(): number;
}

export interface SchedulerOptions {
  articles: boolean;
  /** Spreads the first fetches so 40 sources do not fire in the same second. */
  startupJitterMs: number;
}

/**
 * One node-cron task per source. A source due by cron but still inside its Retry-After, TTL or backoff window
 * is skipped; `noOverlap` keeps a slow source from piling up, and sources run independently of each other.
 */
export function startScheduler(wire: Wire, sources: SourceConfig[], options: SchedulerOptions): Scheduler {
  const inFlight = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = [];
  const timers: NodeJS.Timeout[] = [];
  let stopping = false;

  const run = (source: SourceConfig, reason: string): Promise<void> => {
    if (stopping) return Promise.resolve();
    const state = wire.store.sourceState(source.id);
    if (state?.nextFetchAt && Date.parse(state.nextFetchAt) > Date.now()) {
      wire.logger.debug({ source: source.id, nextFetchAt: state.nextFetchAt, why: state.nextFetchReason }, `${source.id}: not due yet`);
      return Promise.resolve();
    }
    wire.logger.debug({ source: source.id, reason }, `${source.id}: fetching`);
    const job = ingestSource(wire, source, { articles: options.articles }).then(() => undefined);
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
    return job;
  };

  for (const source of sources) {
    tasks.push(cron.schedule(source.schedule, () => run(source, 'cron'), { name: source.id, noOverlap: true, logger: cronLogger(wire.logger) }));
    const delay = Math.floor(Math.random() * options.startupJitterMs);
    timers.push(setTimeout(() => void run(source, 'start-up'), delay));
  }

  return {
    async stop() {
      stopping = true;
      timers.forEach(clearTimeout);
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.allSettled([...inFlight]);
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
