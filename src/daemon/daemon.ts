/**
 * `secwire run`: the scheduler, the HTTP server with /healthz and /metrics, daily retention, under the
 * single-instance lock. Signals are the CLI's business (src/cli/commands/serve.ts); this file only starts,
 * reloads and stops.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config/load.js';
import { startServer } from '../feeds/server.js';
import { scheduleIntervalMs } from '../fetchers/next-fetch.js';
import type { Logger } from '../log.js';
import { openWire } from '../cli/context.js';
import { acquireInstanceLock } from '../store/maintenance.js';
import { openStore } from '../store/store.js';
import { healthReport } from './health.js';
import { createMetrics, type WireMetrics } from './metrics.js';
import { startRetention } from './retention.js';
import { startScheduler } from './scheduler.js';

export interface DaemonOptions {
  articles: boolean;
  /** /healthz turns 503 when nothing succeeded for this long; default `defaultHealthWindowMs`. */
  healthWindowMs?: number;
  /** How long running ingests may take to finish on stop before they are aborted. */
  stopTimeoutMs: number;
  /** Cap on the start-up spread of first fetches. */
  maxStartupJitterMs?: number;
}

export interface ReloadReport {
  added: string[];
  changed: string[];
  removed: string[];
  /** Settings that only a restart applies. */
  needsRestart: string[];
}

export interface Daemon {
  url: string;
  metrics: WireMetrics;
  reload(config: Config): ReloadReport;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/** Three missed runs of the slowest source, and never under an hour. */
export function defaultHealthWindowMs(config: Config): number {
  const longest = Math.max(scheduleIntervalMs(config.schedule), ...config.sources.map((s) => scheduleIntervalMs(s.schedule)));
  return Math.max(HOUR_MS, 3 * longest);
}

export async function startDaemon(config: Config, logger: Logger, options: DaemonOptions): Promise<Daemon> {
  const lock = acquireInstanceLock(config.database, () => runningDaemon(config.database));
  const cleanups: (() => unknown)[] = [() => lock.release()];
  try {
    const wire = openWire(config, logger);
    cleanups.unshift(() => wire.close());
    const startedAt = new Date();
    wire.store.setMeta('daemon', `pid ${process.pid}, started ${startedAt.toISOString()}`);
    const metrics = createMetrics(wire.store);
    const windowMs = options.healthWindowMs ?? defaultHealthWindowMs(config);

    const extraRoutes = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
      if (url.pathname === '/healthz') {
        const health = healthReport({ store: wire.store, windowMs, startedAt });
        const body = JSON.stringify(health.body);
        res.writeHead(health.httpStatus, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache', 'Content-Length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
        return true;
      }
      if (url.pathname === '/metrics') {
        metrics.render().then(
          ({ body, contentType }) => res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache' }).end(req.method === 'HEAD' ? undefined : body),
          (error: unknown) => {
            logger.error({ err: error }, 'metrics failed');
            res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`metrics failed: ${(error as Error).message}\n`);
          },
        );
        return true;
      }
      return false;
    };
    const server = await startServer({ config, store: wire.store, logger, extraRoutes, onCacheLookup: (key, hit) => metrics.observeFeedRequest(key, hit) });
    cleanups.unshift(() => server.close());

    const scheduler = startScheduler(wire, config.sources, {
      articles: options.articles,
      startupJitterMs: Math.min(options.maxStartupJitterMs ?? 30_000, config.sources.length * 500),
      onReport(report) {
        metrics.observeFetch(report);
        const at = new Date().toISOString();
        wire.store.setMeta('last_cycle_at', at);
        if (report.outcome !== 'error') wire.store.setMeta('last_success_at', at);
      },
    });
    const retention = startRetention(wire.store, () => wire.config.retention.days, logger);
    cleanups.unshift(() => retention.stop());
    logger.info(`secwire ${config.sources.length} sources, database ${config.database}; serving ${server.url}/feeds/all.atom (also .rss, .json, /healthz, /metrics)`);

    return {
      url: server.url,
      metrics,
      reload(next) {
        const current = wire.config;
        const needsRestart = (['database', 'server', 'fetch', 'feeds', 'log'] as const).filter((key) => JSON.stringify(current[key]) !== JSON.stringify(next[key]));
        wire.config = { ...next, database: current.database, server: current.server, fetch: current.fetch, feeds: current.feeds, log: current.log };
        wire.store.syncSources(next.sources);
        const applied = scheduler.update(next.sources);
        const report = { ...applied, needsRestart };
        logger.info(report, `configuration reloaded: ${applied.added.length} sources added, ${applied.changed.length} changed, ${applied.removed.length} removed`);
        if (needsRestart.length) logger.warn(`changes to ${needsRestart.join(', ')} take effect after a restart`);
        return report;
      },
      async stop() {
        const { aborted } = await scheduler.stop(options.stopTimeoutMs);
        for (const cleanup of cleanups) await cleanup();
        logger.info(aborted ? `stopped (${aborted} ingests aborted)` : 'stopped');
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup();
    throw error;
  }
}

/** Who holds the lock, from the running daemon's note in the database; best effort, for the error message only. */
function runningDaemon(databasePath: string): string | null {
  try {
    const store = openStore(databasePath, { readonly: true });
    try {
      return store.meta('daemon');
    } finally {
      store.close();
    }
  } catch {
    return null;
  }
}
