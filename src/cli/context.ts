import { loadConfig, type Config } from '../config/load.js';
import { createHttpClient } from '../fetchers/http.js';
import { createLogger, type Logger, type LogLevel } from '../log.js';
import type { Wire } from '../pipeline.js';
import { openStore, type Store } from '../store/store.js';
import { createTagger } from '../tagging/index.js';

/** Flags every command takes. */
export interface CommonOptions {
  config?: string;
  db?: string;
  host?: string;
  port?: number;
  logLevel?: LogLevel;
}

export function loadCommandConfig(options: CommonOptions): Config {
  return loadConfig({ configPath: options.config, dbPath: options.db, host: options.host, port: options.port });
}

export function commandLogger(options: CommonOptions, config?: Config): Logger {
  return createLogger(options.logLevel ?? config?.log.level ?? 'info');
}

/** Opens everything an ingest needs; `close` releases it in the right order. */
export function openWire(config: Config, logger: Logger): Wire & { close(): Promise<void> } {
  const store: Store = openStore(config.database, { stories: config.stories, search: config.search });
  store.syncSources(config.sources);
  const http = createHttpClient(config.fetch, logger);
  const tagger = createTagger({ logger });
  return {
    config,
    store,
    http,
    tagger,
    logger,
    async close() {
      await http.close();
      store.close();
    },
  };
}
