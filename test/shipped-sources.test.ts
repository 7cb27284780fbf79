import { describe, expect, it } from 'vitest';
import { loadShippedSources } from '../src/config/load.js';

/** Site rule names the extractor ships (config/rules/<name>.yaml). */
const RULE_NAMES = new Set([
  'zdnet', 'bleepingcomputer', 'thehackernews', 'therecord', 'securityweek', 'krebsonsecurity', 'darkreading', 'theregister',
  'arstechnica', 'wired', 'techcrunch', 'helpnetsecurity', 'securityaffairs', 'cyberscoop', 'sans-isc', 'cisa',
]);

const REQUIRED_HOSTS = [
  'www.zdnet.com', 'www.bleepingcomputer.com', 'feeds.feedburner.com', 'therecord.media', 'www.securityweek.com', 'krebsonsecurity.com',
  'www.darkreading.com', 'techcrunch.com', 'www.theregister.com', 'feeds.arstechnica.com', 'www.wired.com', 'www.cisa.gov', 'www.ncsc.gov.uk',
  'isc.sans.edu', 'www.schneier.com', 'securelist.com', 'unit42.paloaltonetworks.com', 'blog.talosintelligence.com', 'www.microsoft.com',
  'www.helpnetsecurity.com', 'securityaffairs.com', 'cyberscoop.com', 'databreaches.net', 'www.malwarebytes.com', 'news.sophos.com',
];

describe('config/sources.yaml', () => {
  const sources = loadShippedSources();

  it('ships ZDNet Security and at least 30 other outlets with unique ids and https feeds', () => {
    expect(sources.length).toBeGreaterThanOrEqual(31);
    expect(sources[0]).toMatchObject({ id: 'zdnet-security', url: 'https://www.zdnet.com/topic/security/rss.xml', articles: true, rules: 'zdnet' });
    expect(new Set(sources.map((source) => source.id)).size).toBe(sources.length);
    expect(new Set(sources.map((source) => source.url)).size).toBe(sources.length);
    for (const source of sources) expect(new URL(source.url).protocol, source.id).toBe('https:');
  });

  it('names only site rules the extractor knows, and covers the outlets the foundation issue lists', () => {
    for (const source of sources) if (source.rules) expect(RULE_NAMES.has(source.rules), source.id).toBe(true);
    const hosts = new Set(sources.map((source) => new URL(source.url).host));
    for (const host of REQUIRED_HOSTS) expect(hosts.has(host), host).toBe(true);
    expect(sources.find((source) => source.id === 'microsoft-security')?.tags).toEqual(['vendor:microsoft']);
  });
});
