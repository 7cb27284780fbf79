import { EXIT } from '../../errors.js';
import { assertKnownSources, runCycle, type SourceReport } from '../../pipeline.js';
import { commandLogger, loadCommandConfig, openWire, type CommonOptions } from '../context.js';
import { printJson, printTable } from '../output.js';
import { fetchProgress } from '../progress.js';

export interface FetchOptions extends CommonOptions {
  source: string[];
  articles: boolean;
  force: boolean;
  json: boolean;
}

/** One ingest cycle now. Exit 4 when some sources failed and the rest was stored. */
export async function fetchCommand(options: FetchOptions): Promise<number> {
  const config = loadCommandConfig(options);
  const logger = commandLogger(options, config);
  const sources = assertKnownSources(config.sources, options.source);
  const wire = openWire(config, logger);
  try {
    const progress = fetchProgress(sources.length);
    const cycle = await runCycle(wire, sources, { articles: options.articles, force: options.force, onSourceDone: progress.sourceDone }).finally(progress.stop);
    for (const skipped of cycle.skipped) logger.info({ source: skipped.source, nextFetchAt: skipped.nextFetchAt }, `${skipped.source}: skipped, backing off until ${skipped.nextFetchAt} (--force fetches it)`);
    if (options.json) printJson({ sources: cycle.reports, skipped: cycle.skipped });
    else printReports(cycle.reports);
    return cycle.reports.some((r) => r.outcome === 'error') ? EXIT.partial : EXIT.ok;
  } finally {
    await wire.close();
  }
}

function printReports(reports: SourceReport[]): void {
  printTable(
    ['SOURCE', 'RESULT', 'HTTP', 'ITEMS', 'NEW', 'UPDATED', 'DUPES', 'MS', 'ERROR'],
    reports.map((r) => [r.source, r.outcome, r.status, r.items, r.new, r.updated, r.duplicates, r.durationMs, r.error ? `${r.error.kind}: ${r.error.message}` : null]),
  );
  const failed = reports.filter((r) => r.outcome === 'error').length;
  const stored = reports.reduce((sum, r) => sum + r.new, 0);
  process.stderr.write(`${reports.length} sources: ${reports.length - failed} ok, ${failed} failed; ${stored} new articles\n`);
}
