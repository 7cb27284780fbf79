import { resolve } from 'node:path';
import { parseDuration } from '../../daemon/duration.js';
import { backupDatabase, pruneArticles } from '../../store/maintenance.js';
import { openStore } from '../../store/store.js';
import { loadCommandConfig, type CommonOptions } from '../context.js';
import { printJson } from '../output.js';

export interface PruneOptions extends CommonOptions {
  /** e.g. "180d"; default: `retention.days` of the configuration. */
  olderThan?: string;
  json: boolean;
}

/** Deletes articles first seen before the cutoff, except starred ones and members of stories still alive. */
export function pruneCommand(options: PruneOptions): number {
  const config = loadCommandConfig(options);
  const ageMs = options.olderThan ? parseDuration(options.olderThan, '--older-than') : config.retention.days * 86_400_000;
  const store = openStore(config.database);
  try {
    const report = pruneArticles(store.db, { cutoff: new Date(Date.now() - ageMs) });
    if (options.json) printJson(report);
    else process.stdout.write(`${report.deleted} articles first seen before ${report.cutoff} deleted; kept ${report.keptForStories} in live stories and ${report.keptStarred} starred\n`);
    return 0;
  } finally {
    store.close();
  }
}

export interface BackupOptions extends CommonOptions {
  force: boolean;
}

/** A consistent copy of the database, safe while the daemon writes. */
export function backupCommand(file: string, options: BackupOptions): number {
  const config = loadCommandConfig(options);
  const store = openStore(config.database);
  try {
    const report = backupDatabase(store.db, resolve(file), { overwrite: options.force });
    process.stdout.write(`${report.file}: ${report.bytes} bytes\n`);
    return 0;
  } finally {
    store.close();
  }
}
