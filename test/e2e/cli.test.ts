import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_FAULTS, startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { CLI, runCli as secwire } from '../support/cli.js';
import { writeTestConfig } from '../support/wire.js';

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(async () => {
  await site.close();
});

describe('secwire CLI', () => {
  it('prints help and exits 0', async () => {
    const result = await secwire(['--help']);
    expect(result.status).toBe(0);
    for (const command of ['run', 'fetch', 'serve', 'demo', 'parse', 'sources']) expect(result.stdout).toContain(command);
    expect((await secwire(['fetch', '--help'])).stdout).toContain('--no-articles');
  });

  it('exits 2 on an unknown option', async () => {
    expect((await secwire(['fetch', '--bogus'])).status).toBe(2);
  });

  it('exits 2 with file:line for a typo in the configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-cli-'));
    const file = join(dir, 'secwire.yaml');
    writeFileSync(file, 'database: ./x.db\nfetch:\n  timeoutMs: 1000\n  maxBytez: 5\n');
    const result = await secwire(['sources', 'list', '--config', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}:4: fetch.maxBytez: unknown key "maxBytez"`);
  });

  it('exits 2 with file:line for a wrong type in the configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-cli-'));
    writeFileSync(join(dir, 'secwire.yaml'), 'server:\n  port: "eighty"\n');
    const result = await secwire(['sources', 'list'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/secwire\.yaml:2: server\.port: /);
  });

  it('lists the shipped sources', async () => {
    const result = await secwire(['sources', 'list', '--json'], { cwd: mkdtempSync(join(tmpdir(), 'secwire-cli-')) });
    expect(result.status).toBe(0);
    const { sources } = JSON.parse(result.stdout) as { sources: { id: string }[] };
    expect(sources.length).toBeGreaterThanOrEqual(31);
    expect(sources.map((s) => s.id)).toContain('zdnet-security');
  });

  it('lists each source with its kind in the table', async () => {
    const result = await secwire(['sources', 'list'], { cwd: mkdtempSync(join(tmpdir(), 'secwire-cli-')) });
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+KIND\s+SCHEDULE/);
    expect(lines.find((line) => line.startsWith('cisa-kev '))).toMatch(/\sjson\s/);
    expect(lines.find((line) => line.startsWith('zdnet-security '))).toMatch(/\sfeed\s/);
  });

  it('fetch exits 4 when a source fails, stores the others, and sources status shows why', async () => {
    const { file } = writeTestConfig(site, { outlets: false, extra: [{ id: 'broken', path: FIXTURE_FAULTS.serverError }, { id: 'good', path: new URL(site.outlets[0]!.feedUrl).pathname }] });
    const result = await secwire(['fetch', '--config', file, '--json']);
    expect(result.status).toBe(4);
    const report = JSON.parse(result.stdout) as { sources: { source: string; outcome: string; new: number; error: { kind: string } | null }[] };
    expect(report.sources.find((s) => s.source === 'broken')!.error!.kind).toBe('Http5xx');
    expect(report.sources.find((s) => s.source === 'good')!.new).toBeGreaterThan(0);
    const status = await secwire(['sources', 'status', '--config', file, '--json']);
    expect(status.status).toBe(0);
    const states = (JSON.parse(status.stdout) as { sources: { id: string; errorKind: string | null; consecutiveErrors: number }[] }).sources;
    expect(states.find((s) => s.id === 'broken')).toMatchObject({ errorKind: 'Http5xx', consecutiveErrors: 1 });
    const table = await secwire(['sources', 'status', '--config', file]);
    expect(table.stdout).toMatch(/broken .*Http5xx/);
  });

  it('parse reads a feed file and prints the normalised items', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-cli-'));
    const file = join(dir, 'feed.xml');
    writeFileSync(file, '<?xml version="1.0"?><rss version="2.0"><channel><title>T &amp; C</title><link>https://x.example/</link><item><title>A &lt;b&gt; item</title><link>/a</link><pubDate>Mon, 29 Nov 2021 10:00:00 EST</pubDate></item></channel></rss>');
    const result = await secwire(['parse', file, '--url', 'https://x.example/feed.xml']);
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as { format: string; title: string; items: { title: string; link: string; published: string }[] };
    expect(parsed).toMatchObject({ format: 'rss2', title: 'T & C' });
    expect(parsed.items[0]).toMatchObject({ link: 'https://x.example/a', published: '2021-11-29T15:00:00.000Z' });
  });

  it('parse --batch keeps going after a bad line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-cli-'));
    writeFileSync(join(dir, 'ok.xml'), '<rss version="2.0"><channel><title>ok</title><item><title>x</title></item></channel></rss>');
    writeFileSync(join(dir, 'in.jsonl'), [JSON.stringify({ id: 1, path: join(dir, 'missing.xml') }), 'not json', JSON.stringify({ id: 3, path: join(dir, 'ok.xml') })].join('\n'));
    const result = await secwire(['parse', '--batch', join(dir, 'in.jsonl')]);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number | null; error?: { kind: string }; title?: string });
    expect(lines).toHaveLength(3);
    expect(lines[0]!.error!.kind).toBe('UsageError');
    expect(lines[1]!.error!.kind).toBe('UsageError');
    expect(lines[2]).toMatchObject({ id: 3, title: 'ok' });
    expect(result.status).toBe(4);
  });

  it('search finds ingested articles, formats for pipes, and rejects malformed queries with exit 2', async () => {
    const { file } = writeTestConfig(site);
    expect((await secwire(['fetch', '--config', file, '--no-articles'])).status).toBe(0);
    const json = await secwire(['search', 'veltrix', '--config', file, '--format', 'json', '--limit', '50']);
    expect(json.status).toBe(0);
    const { articles } = JSON.parse(json.stdout) as { articles: { title: string; source: string }[] };
    expect(articles.length).toBeGreaterThanOrEqual(5);
    expect(articles.every((a) => /veltrix/i.test(JSON.stringify(a)))).toBe(true);
    const ndjson = await secwire(['search', 'veltrix -exploitation', '--config', file, '--format', 'ndjson']);
    expect(ndjson.stdout.trim().split('\n').every((line) => !/exploitation/i.test((JSON.parse(line) as { title: string }).title))).toBe(true);
    const csv = await secwire(['search', 'kiyohara', '--config', file, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toBe('id,published,source,title,url,tags');
    const hostile = await secwire(['search', 'NEAR(" title:x ^ * ) AND', '--config', file, '--format', 'json']);
    expect(hostile.status).toBe(0);
    const bad = await secwire(['search', 'since:yesterday', '--config', file]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('since: "yesterday" is not a date');
    const help = await secwire(['search', '--help']);
    expect(help.stdout).toContain('tag:actor:apt29');
  }, 60_000);

  it('demo ingests the fixture site and serves the wire', async () => {
    const child = spawn(process.execPath, [CLI, 'demo', '--port', '0'], { cwd: mkdtempSync(join(tmpdir(), 'secwire-demo-')), env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`demo printed no URLs: ${stdout}`)), 90_000);
        child.stdout.on('data', () => {
          if (stdout.includes('press Ctrl-C')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`demo exited ${code}: ${stdout}`)));
      });
      const atomUrl = /(http:\/\/\S+\/feeds\/all\.atom)/.exec(stdout)![1]!;
      const stored = Number(/(\d+) articles/.exec(stdout)![1]);
      expect(stored).toBeGreaterThanOrEqual(55);
      const perArticle = await (await fetch(`${atomUrl}?limit=500&stories=0`)).text();
      expect(perArticle.match(/<entry>/g)).toHaveLength(stored);
      // The merged wire shows each cross-outlet story once.
      const perStory = await (await fetch(`${atomUrl}?limit=500`)).text();
      const stories = perStory.match(/<entry>/g)!.length;
      expect(stories).toBeLessThan(stored);
      expect(stories).toBeGreaterThanOrEqual(30);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect(child.exitCode).toBe(0);
  }, 120_000);
});
