import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWire } from '../../src/cli/context.js';
import { storyGroups } from '../../src/demo/fixture-data.js';
import { startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { silentLogger } from '../../src/log.js';
import { runCycle } from '../../src/pipeline.js';
import { canonicalizeUrl } from '../../src/store/canonical-url.js';
import { writeTestConfig } from '../support/wire.js';

let site: FixtureSite;
let wire: ReturnType<typeof openWire>;
let sources: ReturnType<typeof writeTestConfig>['config']['sources'];

beforeAll(async () => {
  site = await startFixtureSite();
  const { config } = writeTestConfig(site);
  sources = config.sources;
  wire = openWire(config, silentLogger);
  await runCycle(wire, sources, { articles: true, force: false });
}, 120_000);
afterAll(async () => {
  await wire.close();
  await site.close();
});

function articleOf(key: string) {
  const page = site.articles.find((a) => `${a.outlet}/${a.slug}` === key);
  if (!page) throw new Error(`no fixture article ${key}`);
  const article = wire.store.articleByUrl(canonicalizeUrl(page.url)!);
  if (!article) throw new Error(`${key} not stored`);
  return article;
}

const storyOf = (key: string): number => articleOf(key).story!;

describe('stories on the fixture site', () => {
  it('puts every labelled cross-outlet group in one story', () => {
    for (const [event, keys] of storyGroups()) {
      if (keys.length < 2) continue;
      expect(new Set(keys.map(storyOf)).size, event).toBe(1);
    }
  });

  it('keeps events apart that share a CVE a month apart, a vendor, or nothing', () => {
    const groups = storyGroups();
    const first = (event: string) => storyOf(groups.get(event)![0]!);
    expect(first('veltrix-zero-day')).not.toBe(first('veltrix-mass-exploitation'));
    expect(first('patch-tuesday-2026-10')).not.toBe(first('patch-tuesday-2026-11'));
    expect(first('patch-tuesday-2026-11')).not.toBe(first('tidecall-phishing-kit'));
    expect(first('meridian-ransomware')).not.toBe(first('stratavault-report'));
    expect(first('kiyohara-breach')).not.toBe(first('setouchi-port-ransomware'));
  });

  it('marks the syndicated press release as a copy of the original in the same story', () => {
    const copy = site.articles.find((a) => a.syndicatedFrom)!;
    const original = articleOf(copy.syndicatedFrom!);
    const story = wire.store.storyOf(original.id)!;
    const member = story.articles.find((m) => m.id === articleOf(`${copy.outlet}/${copy.slug}`).id);
    expect(member?.duplicateOf).toBe(original.id);
  });

  it('makes fewer stories than articles and lists each story once', () => {
    const { stories } = wire.store.stories({ limit: 500 });
    const members = stories.flatMap((s) => s.articles.map((a) => a.id));
    expect(new Set(members).size).toBe(wire.store.articleCount());
    expect(stories.length).toBeLessThan(wire.store.articleCount() - 15);
  });

  it('records a revision; only a material one re-dates the article and its story', async () => {
    const key = 'kernel-wire/meridian-health-lockbit-attack';
    const before = articleOf(key);
    const storyBefore = wire.store.storyOf(before.id)!;
    const page = site.articles.find((a) => `${a.outlet}/${a.slug}` === key)!;
    site.reviseArticle(key, { title: `${page.title} `.replace(' attack ', ' attack  ').trim().replace('LockBit', 'Lockbit') });
    await runCycle(wire, sources.filter((s) => s.id === 'kernel-wire'), { articles: true, force: true });
    const typo = articleOf(key);
    expect(wire.store.revisions(typo.id)).toHaveLength(1);
    expect(wire.store.revisions(typo.id)[0]!.material).toBe(false);
    expect(typo.updated).toBe(before.updated);
    expect(wire.store.storyOf(typo.id)!.updated).toBe(storyBefore.updated);

    const body = `${page.body}\n\nUpdate: Meridian Health Partners said on Friday that ambulance diversions have ended at all four hospitals and that its electronic health record system is back online after nine days, while the investigation into what data the attackers took continues with outside experts.`;
    site.reviseArticle(key, { body, updated: '2026-11-30T10:00:00Z' });
    await runCycle(wire, sources.filter((s) => s.id === 'kernel-wire'), { articles: true, force: true });
    const revised = articleOf(key);
    expect(revised.id).toBe(before.id);
    const history = wire.store.revisions(revised.id);
    expect(history).toHaveLength(2);
    expect(history[1]!.material).toBe(true);
    expect(revised.updated).not.toBe(before.updated);
    expect(wire.store.storyOf(revised.id)!.id).toBe(storyBefore.id);
    expect(wire.store.storyOf(revised.id)!.updated > storyBefore.updated).toBe(true);
  }, 60_000);
});
