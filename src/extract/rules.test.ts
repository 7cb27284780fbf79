import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { extractArticle } from './index.js';
import { loadSiteRules, rulesByName, rulesForUrl } from './rules.js';

const SHIPPED = [
  'zdnet', 'bleepingcomputer', 'thehackernews', 'therecord', 'securityweek', 'krebsonsecurity', 'darkreading', 'techcrunch',
  'theregister', 'arstechnica', 'wired', 'helpnetsecurity', 'securityaffairs', 'cyberscoop', 'sans-isc', 'cisa',
];

describe('site rules', () => {
  it('ships a rule for every outlet named in config/sources.yaml', () => {
    for (const name of SHIPPED) expect(rulesByName(name)?.name).toBe(name);
    expect(rulesByName('no-such-site')).toBeNull();
  });

  it('picks a rule by host, subdomains included', () => {
    expect(rulesForUrl('https://www.zdnet.com/article/panasonic-confirms-data-breach/')?.name).toBe('zdnet');
    expect(rulesForUrl('https://isc.sans.edu/diary/28124')?.name).toBe('sans-isc');
    expect(rulesForUrl('https://example.com/zdnet.com/')).toBeNull();
    expect(rulesForUrl('not a url')).toBeNull();
  });

  it('reports a bad rule file with its file, line and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-rules-'));
    writeFileSync(join(dir, 'bad.yaml'), 'hosts: [bad.example]\nbody:\n  - 42\n');
    let caught: unknown;
    try {
      loadSiteRules(dir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).key).toBe('body.0');
    expect((caught as ConfigError).line).toBe(3);
  });

  it('applies the ZDNet rule to the 2021 layout: body kept, Recommends promo, related links and AdSense gone', () => {
    const html = `<html><head><title>Panasonic confirms data breach | ZDNET</title></head><body>
      <article><h1>Panasonic confirms data breach</h1>
      <div class="c-articleContent"><div class="c-ShortcodeContent">
        <p>Tech manufacturing giant Panasonic has confirmed that its network was accessed illegally this month, during a cyberattack.</p>
        <div class="c-ZdnetRecommends"><h3><strong>ZDNET</strong> Recommends</h3><a href="/article/best-security-key/">The best security key Read now</a></div>
        <p>In a statement released on Friday, the Japanese company said it was attacked on November 11, and that some data on a file server had been accessed.</p>
        <ins class="adsbygoogle" data-ad-slot="1"></ins>
        <div class="relatedContent"><ul><li><a href="/article/best-vpn/">The best VPN services</a></li></ul></div>
        <p>Panasonic did not respond to requests for comment, but confirmed the timeline in an interview, and said the November date refers to when the breach was found.</p>
      </div></div></article>
      <div class="relatedContent"><ul><li><a href="/article/best-vpn/">The best VPN services</a></li></ul></div>
      </body></html>`;
    const result = extractArticle(html, 'https://www.zdnet.com/article/panasonic-confirms-data-breach/');
    expect(result.title).toBe('Panasonic confirms data breach');
    expect(result.text.split('\n\n')).toEqual([
      'Tech manufacturing giant Panasonic has confirmed that its network was accessed illegally this month, during a cyberattack.',
      'In a statement released on Friday, the Japanese company said it was attacked on November 11, and that some data on a file server had been accessed.',
      'Panasonic did not respond to requests for comment, but confirmed the timeline in an interview, and said the November date refers to when the breach was found.',
    ]);
  });
});
