import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWire } from '../cli/context.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import type { SourceReport } from '../pipeline.js';
import { startScheduler } from './scheduler.js';

// Undated items: the next fetch is due one schedule period later, so an every-second cron really fires each second.
const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://example.test/</link><description>d</description><item><title>Item</title><link>http://example.test/a</link><guid>a</guid></item></channel></rss>';
const SLOW_MS = 2_500;

let server: Server;
let base: string;
const hits = { slow: 0, fast: 0, slowActive: 0, slowMaxActive: 0 };

beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (): void => void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(FEED);
    if (req.url === '/fast.xml') {
      hits.fast += 1;
      return send();
    }
    if (req.url === '/hang.xml') return;
    hits.slow += 1;
    hits.slowActive += 1;
    hits.slowMaxActive = Math.max(hits.slowMaxActive, hits.slowActive);
    setTimeout(() => {
      hits.slowActive -= 1;
      send();
    }, SLOW_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function testWire(paths: string[]): ReturnType<typeof openWire> {
  const dir = mkdtempSync(join(tmpdir(), 'secwire-sched-'));
  const file = join(dir, 'secwire.yaml');
  const sources = paths.map((path) => `  - { id: ${path.replace(/\W.*$/, '')}, name: ${path}, url: "http://${base}/${path}", schedule: "* * * * * *" }`).join('\n');
  writeFileSync(file, `database: ${join(dir, 'wire.db')}\nfetch: { allowPrivateHosts: ["${base}"] }\nsources:\n${sources}\n`);
  return openWire(loadConfig({ configPath: file, env: {} }), silentLogger);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('startScheduler', () => {
  it('never runs a slow source twice at once, and the slow source does not hold back the others', async () => {
    const wire = testWire(['slow.xml', 'fast.xml']);
    const reports: SourceReport[] = [];
    const scheduler = startScheduler(wire, wire.config.sources, { articles: false, startupJitterMs: 1, onReport: (r) => reports.push(r) });
    await sleep(SLOW_MS * 2 + 1_500);
    await scheduler.stop(10_000);
    await wire.close();
    expect(hits.slowMaxActive).toBe(1);
    expect(hits.slow).toBeGreaterThanOrEqual(2);
    expect(hits.fast).toBeGreaterThan(hits.slow);
    expect(reports.filter((r) => r.source === 'slow').every((r) => r.outcome === 'ok')).toBe(true);
  });

  it('applies a new source list: removed sources stop, new ones start', async () => {
    const wire = testWire(['fast.xml']);
    const reports: SourceReport[] = [];
    const scheduler = startScheduler(wire, wire.config.sources, { articles: false, startupJitterMs: 1, onReport: (r) => reports.push(r) });
    const renamed = wire.config.sources.map((s) => ({ ...s, id: 'renamed' }));
    expect(scheduler.update(renamed)).toEqual({ added: ['renamed'], changed: [], removed: ['fast'] });
    expect(scheduler.update(renamed.map((s) => ({ ...s, name: 'New name' })))).toEqual({ added: [], changed: ['renamed'], removed: [] });
    await sleep(1_500);
    await scheduler.stop(10_000);
    await wire.close();
    expect(reports.some((r) => r.source === 'renamed')).toBe(true);
  });

  it('aborts ingests still running after the stop timeout and records why', async () => {
    const wire = testWire(['hang.xml']);
    const scheduler = startScheduler(wire, wire.config.sources, { articles: false, startupJitterMs: 1 });
    await sleep(300);
    expect(scheduler.running()).toBe(1);
    expect(await scheduler.stop(200)).toEqual({ aborted: 1 });
    expect(scheduler.running()).toBe(0);
    expect(wire.store.sourceState('hang')!.errorKind).not.toBeNull();
    await wire.close();
  });
});
