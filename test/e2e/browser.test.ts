/**
 * The web page in a real browser: Debian's Chromium, headless, driven by playwright-core. Loads the home page,
 * searches, opens a tag and an article, and saves screenshots under test-artifacts/ (desktop and phone widths).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWire } from '../../src/cli/context.js';
import { startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { startServer, type WireServer } from '../../src/feeds/server.js';
import { silentLogger } from '../../src/log.js';
import { runCycle } from '../../src/pipeline.js';
import { writeTestConfig } from '../support/wire.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

describe.skipIf(!haveChromium)('the web page in headless Chromium', () => {
  let site: FixtureSite;
  let wire: ReturnType<typeof openWire>;
  let server: WireServer;
  let browser: BrowserContext;
  let profile: string;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    site = await startFixtureSite();
    const { config } = writeTestConfig(site);
    wire = openWire(config, silentLogger);
    await runCycle(wire, config.sources, { articles: true, force: false });
    server = await startServer({ config: { ...config, server: { ...config.server, baseUrl: '' } }, store: wire.store, logger: silentLogger, port: 0 });
    profile = mkdtempSync(join(tmpdir(), 'secwire-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await wire?.close();
    await site?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function newPage(width = 1100, height = 900) {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height });
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  }

  it('loads, searches, opens a tag and an article, with no CSP violation', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    expect(await page.title()).toBe('secwire');
    expect(await page.locator('ol.articles > li').count()).toBeGreaterThan(5);
    // The stylesheet applied: the search button takes the accent colour, not the browser default.
    expect(await page.locator('form.search button').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: join(ARTIFACTS, 'home.png'), fullPage: true });

    const word = (await page.locator('ol.articles > li > a').first().innerText()).split(/\s+/).find((w) => /^[A-Za-z]{5,}$/.test(w))!;
    await page.fill('input[name=q]', word);
    await Promise.all([page.waitForURL(/\/search\?q=/), page.click('form.search button')]);
    expect(await page.locator('h1').innerText()).toBe(`Search: ${word}`);
    expect(await page.locator('ol.articles > li').count()).toBeGreaterThan(0);
    expect((await page.locator('ol.articles').innerText()).toLowerCase()).toContain(word.toLowerCase());
    for (const marked of await page.locator('.snippet mark').allInnerTexts()) expect(marked.toLowerCase()).toBe(word.toLowerCase());
    await page.screenshot({ path: join(ARTIFACTS, 'search.png'), fullPage: true });

    const chip = page.locator('ol.articles .chips a').first();
    const chipText = await chip.innerText();
    await Promise.all([page.waitForURL(/\/tag\//), chip.click()]);
    expect(await page.locator('h1').innerText()).toBe(chipText);
    expect(await page.locator('a.button', { hasText: 'Subscribe' }).getAttribute('href')).toMatch(/\/feeds\/tag\/.+\.atom$/);

    const first = page.locator('ol.articles > li > a').first();
    const title = await first.innerText();
    await Promise.all([page.waitForURL(/\/article\/\d+$/), first.click()]);
    expect(await page.locator('h1').innerText()).toBe(title);
    expect(await page.locator('a.button', { hasText: 'Read the original' }).getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(await page.locator('article p').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'article.png'), fullPage: true });
    expect(cspViolations).toEqual([]);
  }, 60_000);

  it('is readable on a phone: nothing wider than the screen', async () => {
    const page = await newPage(375, 740);
    await page.goto(`${server.url}/`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, 'home-phone.png') });
  }, 30_000);
});
