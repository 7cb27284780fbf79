import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { rssBytes, sleep, startCli, startDaemon } from '../support/hostile-process.js';
import { writeTestConfig } from '../support/wire.js';

const CONNECTIONS = Number(process.env['SECWIRE_STRESS_CONNECTIONS'] ?? 1000);
const DURATION_MS = Number(process.env['SECWIRE_STRESS_SECONDS'] ?? 30) * 1000;
const PATHS = ['/feeds/all.atom', '/feeds/all.rss?full=1', '/feeds/all.json?stories=0', '/api/articles?limit=20', '/api/stories?limit=10', '/', '/search?q=ransomware', '/healthz', '/opml'];

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(async () => {
  await site.close();
});

describe('load', () => {
  it(`${CONNECTIONS} concurrent connections for ${DURATION_MS / 1000} s with ingests running: no 5xx, no crash, flat memory`, async () => {
    const { file } = writeTestConfig(site);
    const daemon = await startDaemon(file);
    const pid = daemon.child.pid!;
    const agent = new Agent({ connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 4_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
    const statuses = new Map<number, number>();
    const clientErrors = new Map<string, number>();
    let stop = false;

    // Ingest beside the load: edits on the site, then a forced fetch by another process writing the same database.
    let ingests = 0;
    const ingesting = (async () => {
      for (let round = 0; !stop; round += 1) {
        const article = site.articles[round % site.articles.length]!;
        site.reviseArticle(`${article.outlet}/${article.slug}`, { title: `${article.title} (load ${round})`, updated: new Date(Date.UTC(2026, 10, 3, 0, round)).toISOString() });
        const fetching = startCli(['fetch', '--force', '--config', file]);
        const code = await fetching.exited;
        expect(code, fetching.stderr()).toBe(0);
        ingests += 1;
      }
    })();

    const worker = async (index: number): Promise<void> => {
      for (let n = index; !stop; n += 1) {
        try {
          const response = await request(`${daemon.url}${PATHS[n % PATHS.length]}`, { dispatcher: agent });
          await response.body.dump();
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error as Error).name;
          clientErrors.set(code, (clientErrors.get(code) ?? 0) + 1);
          await sleep(50);
        }
      }
    };

    await sleep(3_000);
    const rssStart = rssBytes(pid);
    const samples: number[] = [rssStart];
    const sampler = setInterval(() => samples.push(rssBytes(pid)), 1_000);
    const started = Date.now();
    const workers = Array.from({ length: CONNECTIONS }, (_, i) => worker(i));
    await sleep(DURATION_MS);
    stop = true;
    await Promise.all(workers);
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    await ingesting;
    await agent.close();
    const rssEnd = rssBytes(pid);
    const health = await fetch(`${daemon.url}/healthz`);

    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    const failed = [...clientErrors.values()].reduce((a, b) => a + b, 0);
    const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `load: ${CONNECTIONS} connections, ${seconds.toFixed(1)} s, ${total} responses (${(total / seconds).toFixed(0)}/s), statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `client errors ${JSON.stringify(Object.fromEntries(clientErrors))}, ${ingests} ingests; daemon RSS start ${mb(rssStart)} MB, peak ${mb(Math.max(...samples))} MB, end ${mb(rssEnd)} MB`,
    );

    expect(daemon.child.exitCode).toBeNull();
    expect(health.status).toBe(200);
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(total).toBeGreaterThan(CONNECTIONS);
    expect(failed, JSON.stringify(Object.fromEntries(clientErrors))).toBeLessThanOrEqual(total / 100);
    expect(ingests).toBeGreaterThan(0);
    // Flat: the end of the run holds no more than the start plus a bounded cache, not a leak per request.
    expect(rssEnd).toBeLessThan(rssStart * 2 + 100 * 1024 * 1024);

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });
});
