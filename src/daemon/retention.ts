import type { Logger } from '../log.js';
import { pruneArticles, type PruneReport } from '../store/maintenance.js';
import type { Store } from '../store/store.js';

const DAY_MS = 86_400_000;

export interface Retention {
  /** Prunes when the last prune (kept in the database, so restarts do not reset it) is a day old or more. */
  runIfDue(): PruneReport | null;
  stop(): void;
}

export interface RetentionOptions {
  /** How often to look whether a day has passed. */
  checkEveryMs?: number;
  now?: () => Date;
}

/** `retention.days` applied daily by the daemon; `days` is read on each run so a reload takes effect. */
export function startRetention(store: Store, days: () => number, logger: Logger, options: RetentionOptions = {}): Retention {
  const now = options.now ?? (() => new Date());
  const runIfDue = (): PruneReport | null => {
    const at = now();
    const last = store.meta('last_prune_at');
    if (last && at.getTime() - Date.parse(last) < DAY_MS) return null;
    const report = pruneArticles(store.db, { cutoff: new Date(at.getTime() - days() * DAY_MS) });
    store.setMeta('last_prune_at', at.toISOString());
    logger.info({ ...report, retentionDays: days() }, `retention: ${report.deleted} articles first seen before ${report.cutoff} deleted`);
    return report;
  };
  const check = (): void => {
    try {
      runIfDue();
    } catch (error) {
      logger.error({ err: error }, `retention: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(check, options.checkEveryMs ?? 3_600_000);
  timer.unref();
  check();
  return { runIfDue, stop: () => clearInterval(timer) };
}
