/** Synthetic feed entries for tests of the renderers and of whoever serves them: awkward on purpose. */
import type { FeedEntry, FeedMeta } from '../../src/feeds/types.js';
import { stripInvalidXmlChars } from '../../src/feeds/xml.js';

/** Titles that break naive XML/HTML handling; every client must show them exactly. */
export const TRICKY_TITLES = [
  'Patch now: <script>alert(1)</script> in Acme VPN & "SafeGate" <3',
  "Ivanti's <Connect Secure> flaw: 5 > 4 & the &amp; literal",
  'Überwachung: APT29 ciblé — 日本の病院にランサムウェア攻撃 🔐',
  'CDATA end ]]> and a tab\there',
  'Control\u0000 chars\u0008 and \uFFFE lone \uD800 surrogate stripped',
];

/** The title every client must show: XML-invalid characters stripped, whitespace collapsed to one line. */
export function expectedTitle(entry: Pick<FeedEntry, 'title'>): string {
  return stripInvalidXmlChars(entry.title).replace(/\s+/g, ' ').trim();
}

export function sampleMeta(baseUrl: string, format: 'rss' | 'atom' | 'json', overrides: Partial<FeedMeta> = {}): FeedMeta {
  return {
    id: 'urn:secwire:feed:all',
    title: 'secwire — all stories',
    description: 'Security news from every outlet, one entry per story',
    homeUrl: `${baseUrl}/`,
    selfUrl: `${baseUrl}/feeds/all.${format}`,
    updated: '2026-03-04T05:06:07Z',
    ttlMinutes: 15,
    language: 'en',
    ...overrides,
  };
}

/** `count` entries, newest first, one per minute back from 2026-03-04T05:00:00Z, cycling through TRICKY_TITLES. */
export function sampleEntries(count: number, options: { full?: boolean } = {}): FeedEntry[] {
  return Array.from({ length: count }, (_, index) => {
    const published = new Date(Date.UTC(2026, 2, 4, 5, 0, 0) - index * 60_000).toISOString().replace('.000Z', 'Z');
    const base = TRICKY_TITLES[index % TRICKY_TITLES.length] ?? 'Untitled';
    return {
      id: `urn:secwire:story:${1000 + index}`,
      title: `${base} #${index}`,
      link: `https://news.example.com/2026/03/story-${index}?utm_x=1&ref=a`,
      published: index % 5 === 4 ? null : published,
      updated: published,
      authors: index % 3 === 0 ? [] : ['Jane O\'Brien', 'Kō Tanaka'].slice(0, 1 + (index % 2)),
      summary: `Summary ${index}: attackers used <img src=x onerror=alert(1)> & more to reach "targets".`,
      contentHtml: options.full ? `<p>Full body ${index} with <a href="https://ref.example.org/a?b=1&amp;c=2">a link</a> and <abbr title="a]]>b">CDATA's end</abbr>.</p>` : null,
      tags: [
        { slug: 'cve:CVE-2024-3400', type: 'cve', value: 'CVE-2024-3400', name: 'CVE-2024-3400' },
        { slug: 'actor:apt29', type: 'actor', value: 'apt29', name: 'APT29 <Cozy Bear>' },
      ].slice(0, index % 3),
      source: { id: `outlet-${index % 2}`, name: index % 2 ? 'Example & Co News' : 'Acme Security', url: `https://outlet${index % 2}.example.net/feed.xml` },
      image: index % 2 === 0 ? `https://cdn.example.com/img/${index}.png` : null,
      alsoCoveredBy: index % 4 === 0 ? [{ sourceName: 'Other <Outlet>', title: 'Same story, other words & more', url: 'https://other.example.org/s?id=1&x=2' }] : [],
    };
  });
}
