import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureSite } from '../../demo/fixture-site.js';
import { startServer } from '../../feeds/server.js';
import { runCycle } from '../../pipeline.js';
import type { SourceConfig } from '../../types.js';
import { commandLogger, loadCommandConfig, openWire, type CommonOptions } from '../context.js';
import { printLine } from '../output.js';
import { waitForStopSignal } from './serve.js';

/**
 * The offline demo: a loopback fixture site of synthetic security outlets, ingested end to end into a fresh
 * database, then served. Nothing leaves the machine.
 */
export async function demoCommand(options: CommonOptions): Promise<number> {
  const site = await startFixtureSite();
  const base = loadCommandConfig({ ...options, db: options.db ?? join(mkdtempSync(join(tmpdir(), 'secwire-demo-')), 'demo.db') });
  const sources: SourceConfig[] = site.outlets.map((outlet) => ({
    id: outlet.id,
    name: outlet.name,
    url: outlet.feedUrl,
    schedule: base.schedule,
    articles: outlet.articles,
    rules: null,
    tags: [],
    kind: 'feed',
  }));
  const config = { ...base, sources, fetch: { ...base.fetch, allowPrivateHosts: [...base.fetch.allowPrivateHosts, `${site.host}:${site.port}`] } };
  const logger = commandLogger(options, config);
  logger.info(`fixture site with ${sources.length} outlets at ${site.url}`);
  const wire = openWire(config, logger);
  const cycle = await runCycle(wire, sources, { articles: true, force: true });
  const stored = wire.store.articleCount();
  const server = await startServer({ config: { ...config, server: { ...config.server, baseUrl: '' } }, store: wire.store, logger, port: options.port ?? config.server.port });
  const feedBase = server.url;
  printLine(`secwire demo: ${stored} articles from ${cycle.reports.filter((r) => r.outcome === 'ok').length}/${sources.length} outlets of the fixture site (${site.url})`);
  printLine(`database: ${config.database}`);
  printLine('subscribe to:');
  for (const format of ['atom', 'rss', 'json']) printLine(`  ${feedBase}/feeds/all.${format}`);
  for (const source of sources.slice(0, 3)) printLine(`  ${feedBase}/feeds/source/${source.id}.atom`);
  printLine(`  ${feedBase}/api/articles   ${feedBase}/api/sources   ${feedBase}/healthz`);
  printLine('press Ctrl-C to stop');
  await waitForStopSignal(logger);
  await server.close();
  await wire.close();
  await site.close();
  return 0;
}
