import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../types.js';
import { newItem } from './common.js';
import { splitDigest } from './digest.js';

const DIGEST_URL = 'https://cert.example/bulletins/2025-07-28';

function digest(content: string): FeedItem {
  return newItem({ id: 'bulletin-1', title: 'Daily bulletin 28 July', link: DIGEST_URL, published: '2025-07-28T06:00:00.000Z', content, categories: ['bulletin'] });
}

const fiveHeadings = `<p>Today's stories.</p>
<h3><a href="https://news.example/one">Acme patches EdgeOS</a></h3><p>Acme fixed CVE-2099-0001.</p>
<h3>Ransomware hits a hospital</h3><p>Details <a href="/alerts/two">in our alert</a>.</p>
<h3><a href="https://news.example/three">Phishing wave</a></h3><p>Three.</p>
<h3><a href="https://news.example/four">Botnet takedown</a></h3><p>Four.</p>
<h3><a href="https://news.example/five">New APT tooling</a></h3><p>Five.</p>
<h3>About this bulletin</h3><p>No link here, <a href="${DIGEST_URL}">this page</a> only.</p>`;

describe('splitDigest', () => {
  it('splits a digest with five headed stories into five items with the right title and link, linked back', () => {
    const items = splitDigest(digest(fiveHeadings));
    expect(items.map((i) => [i.title, i.link])).toEqual([
      ['Acme patches EdgeOS', 'https://news.example/one'],
      ['Ransomware hits a hospital', 'https://cert.example/alerts/two'],
      ['Phishing wave', 'https://news.example/three'],
      ['Botnet takedown', 'https://news.example/four'],
      ['New APT tooling', 'https://news.example/five'],
    ]);
    expect(items[0]).toMatchObject({ id: null, published: '2025-07-28T06:00:00.000Z', categories: ['bulletin'], summary: 'Acme fixed CVE-2099-0001.' });
    expect(items[0]?.content).toContain(`<a href="${DIGEST_URL}">Daily bulletin 28 July</a>`);
  });

  it('splits a bulleted roundup, titles from the bold lead-in or the link text', () => {
    const items = splitDigest(digest(`<ul>
      <li><strong>Fortinet:</strong> patches a flaw, <a href="https://a.example/1">read more</a></li>
      <li><a href="https://a.example/2">Ivanti exploited again</a> says a vendor.</li>
      <li>No link in this bullet.</li></ul><ul><li><a href="https://a.example/x">lone</a></li></ul>`));
    expect(items.map((i) => [i.title, i.link])).toEqual([
      ['Fortinet', 'https://a.example/1'],
      ['Ivanti exploited again', 'https://a.example/2'],
    ]);
  });

  it('leaves an ordinary article whole', () => {
    const article = digest('<p>One story with <a href="https://a.example/src">a source</a>.</p><h2>Background</h2><p>More.</p>');
    expect(splitDigest(article)).toEqual([article]);
    const empty = newItem({ title: 'No content', link: DIGEST_URL });
    expect(splitDigest(empty)).toEqual([empty]);
  });
});
