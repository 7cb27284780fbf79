import type { Config } from '../../config/load.js';
import { startDaemon } from '../../daemon/daemon.js';
import { parseDuration } from '../../daemon/duration.js';
import { startServer } from '../../feeds/server.js';
import type { Logger } from '../../log.js';
import { openStore } from '../../store/store.js';
import { commandLogger, loadCommandConfig, type CommonOptions } from '../context.js';

export interface DaemonSignals {
  /** Resolves on the first SIGINT/SIGTERM; a second one exits at once with 130. */
  stopped: Promise<string>;
  dispose(): void;
}

/** SIGINT/SIGTERM once: graceful stop; twice: exit now. SIGHUP: `onReload` (a daemon's config reload). */
export function listenForSignals(logger: Logger, onReload?: () => void): DaemonSignals {
  let resolveStop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (resolveStop = resolve));
  let received = false;
  const onStop = (signal: string): void => {
    if (received) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(130);
    }
    received = true;
    logger.info(`${signal}: stopping (send it again to exit at once)`);
    resolveStop(signal);
  };
  const onHangup = (): void => {
    if (onReload) onReload();
    else logger.info('SIGHUP: nothing to reload');
  };
  process.on('SIGINT', onStop);
  process.on('SIGTERM', onStop);
  process.on('SIGHUP', onHangup);
  return {
    stopped,
    dispose() {
      process.off('SIGINT', onStop);
      process.off('SIGTERM', onStop);
      process.off('SIGHUP', onHangup);
    },
  };
}

/** Resolves on the first SIGINT/SIGTERM; a second signal exits at once. */
export async function waitForStopSignal(logger: Logger): Promise<string> {
  const signals = listenForSignals(logger);
  return signals.stopped;
}

export async function serveCommand(options: CommonOptions): Promise<number> {
  const config = loadCommandConfig(options);
  const logger = commandLogger(options, config);
  const store = openStore(config.database, { search: config.search });
  store.syncSources(config.sources);
  const server = await startServer({ config, store, logger });
  logger.info(`serving ${server.url}/feeds/all.atom (also .rss, .json)`);
  const signals = listenForSignals(logger);
  await signals.stopped;
  await server.close();
  store.close();
  signals.dispose();
  return 0;
}

export interface RunOptions extends CommonOptions {
  articles: boolean;
  /** e.g. "2h": /healthz answers 503 when no fetch succeeded for this long. */
  healthWindow?: string;
  /** e.g. "30s": how long running ingests may finish on stop before they are aborted. */
  stopTimeout?: string;
}

const DEFAULT_STOP_TIMEOUT = '30s';

export async function runCommand(options: RunOptions): Promise<number> {
  const config = loadCommandConfig(options);
  const logger = commandLogger(options, config);
  const healthWindow = options.healthWindow ?? process.env['SECWIRE_HEALTH_WINDOW'];
  const stopTimeout = options.stopTimeout ?? process.env['SECWIRE_STOP_TIMEOUT'] ?? DEFAULT_STOP_TIMEOUT;
  const daemon = await startDaemon(config, logger, {
    articles: options.articles,
    stopTimeoutMs: parseDuration(stopTimeout, '--stop-timeout'),
    ...(healthWindow ? { healthWindowMs: parseDuration(healthWindow, '--health-window') } : {}),
  });
  const signals = listenForSignals(logger, () => {
    let next: Config;
    try {
      next = loadCommandConfig(options);
    } catch (error) {
      logger.error(`SIGHUP: configuration not reloaded, keeping the running one: ${(error as Error).message}`);
      return;
    }
    daemon.reload(next);
  });
  await signals.stopped;
  await daemon.stop();
  signals.dispose();
  return 0;
}
