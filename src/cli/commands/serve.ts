import { startScheduler } from '../../daemon/scheduler.js';
import { startServer } from '../../feeds/server.js';
import type { Logger } from '../../log.js';
import { openStore } from '../../store/store.js';
import { commandLogger, loadCommandConfig, openWire, type CommonOptions } from '../context.js';

/** Resolves on the first SIGINT/SIGTERM; a second signal exits at once. */
export function waitForStopSignal(logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: string): void => {
      if (received) {
        logger.warn(`${signal} again: exiting now`);
        process.exit(130);
      }
      received = true;
      logger.info(`${signal}: stopping (send it again to exit at once)`);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export async function serveCommand(options: CommonOptions): Promise<number> {
  const config = loadCommandConfig(options);
  const logger = commandLogger(options, config);
  const store = openStore(config.database);
  store.syncSources(config.sources);
  const server = await startServer({ config, store, logger });
  logger.info(`serving ${server.url}/feeds/all.atom (also .rss, .json)`);
  await waitForStopSignal(logger);
  await server.close();
  store.close();
  return 0;
}

export async function runCommand(options: CommonOptions & { articles: boolean }): Promise<number> {
  const config = loadCommandConfig(options);
  const logger = commandLogger(options, config);
  const wire = openWire(config, logger);
  const server = await startServer({ config, store: wire.store, logger });
  logger.info(`secwire ${config.sources.length} sources, database ${config.database}; serving ${server.url}/feeds/all.atom (also .rss, .json)`);
  const scheduler = startScheduler(wire, config.sources, { articles: options.articles, startupJitterMs: Math.min(30_000, config.sources.length * 500) });
  await waitForStopSignal(logger);
  await scheduler.stop();
  await server.close();
  await wire.close();
  return 0;
}
