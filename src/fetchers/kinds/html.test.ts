import { describe, expect, it } from 'vitest';
import type { HtmlListingConfig } from '../../types.js';
import { parseListing } from './html.js';

const NOW = new Date('2025-07-30T12:00:00Z');

/** Mirrors BleepingComputer's news listing: <li> cards, a heading link, a date span, a teaser paragraph. */
const BLEEPING_LIKE: HtmlListingConfig = { item: '#bc-home-news-main-wrap > li', title: 'h4', link: 'h4 a', date: '.bc_news_date', summary: 'p', next: '.cz-pagination a[aria-label="Next Page"]', pages: 3 };
const bleepingPage = `<html><head><title>Latest news</title></head><body>
<ul id="bc-home-news-main-wrap">
  <li><div class="bc_latest_news_text"><h4><a href="/news/security/first-story/">First   story</a></h4>
    <p>Teaser one.</p><ul><li class="bc_news_date">July 23, 2025</li></ul></div></li>
  <li><div class="bc_latest_news_text"><h4><a href="https://www.example.com/news/second/">Second story</a></h4>
    <p>Teaser two.</p><ul><li class="bc_news_date">22/07/2025</li></ul></div></li>
  <li class="ad"><div>Sponsored, no link</div></li>
</ul>
<div class="cz-pagination"><a aria-label="Next Page" href="page/2/">Next</a></div></body></html>`;

/** Mirrors The Hacker News' home listing: the whole card is the link, a date with a datetime-less span. */
const THN_LIKE: HtmlListingConfig = { item: 'div.body-post', title: 'h2.home-title', link: 'a.story-link', date: '.h-datetime', summary: '.home-desc', next: null, pages: 1 };
const thnPage = `<html><body><base href="https://thn.example/">
<div class="body-post"><a class="story-link" href="2025/07/patch-now.html"><h2 class="home-title">Patch now</h2>
  <div class="item-label"><time class="h-datetime" datetime="2025-07-21T09:30:00+02:00">Jul 21, 2025</time></div>
  <div class="home-desc">Vendor fixes a flaw.</div></a></div>
<div class="body-post"><a class="story-link" href="/2025/07/undated.html"><h2 class="home-title">Undated card</h2></a></div>
</body></html>`;

describe('parseListing', () => {
  it('reads a BleepingComputer-like listing: relative links, two date formats, next page, skips cards without a link', () => {
    const page = parseListing(bleepingPage, 'https://www.example.com/news/', BLEEPING_LIKE, NOW);
    expect(page.title).toBe('Latest news');
    expect(page.items.map((i) => [i.title, i.link, i.published, i.summary])).toEqual([
      ['First story', 'https://www.example.com/news/security/first-story/', '2025-07-23T00:00:00.000Z', 'Teaser one.'],
      ['Second story', 'https://www.example.com/news/second/', '2025-07-22T00:00:00.000Z', 'Teaser two.'],
    ]);
    expect(page.next).toBe('https://www.example.com/news/page/2/');
  });

  it('reads a Hacker-News-like listing: <base href>, a datetime attribute, a date from the URL when the card has none', () => {
    const page = parseListing(thnPage, 'https://thn.example/', THN_LIKE, NOW);
    expect(page.items.map((i) => [i.title, i.link, i.published, i.summary])).toEqual([
      ['Patch now', 'https://thn.example/2025/07/patch-now.html', '2025-07-21T07:30:00.000Z', 'Vendor fixes a flaw.'],
      ['Undated card', 'https://thn.example/2025/07/undated.html', null, null],
    ]);
    expect(page.next).toBeNull();
  });

  it('takes the link from the container itself with :scope', () => {
    const html = '<a class="card" href="/a"><span>A story</span></a><a class="card" href="/b"><span>B story</span></a>';
    const page = parseListing(html, 'https://x.example/', { item: 'a.card', title: 'span', link: ':scope', date: null, summary: null, next: null, pages: 1 }, NOW);
    expect(page.items.map((i) => i.link)).toEqual(['https://x.example/a', 'https://x.example/b']);
  });

  it('reads the date from a URL path when no date selector is configured', () => {
    const html = '<article><h2><a href="/2025/07/20/story">Story</a></h2></article>';
    const page = parseListing(html, 'https://x.example/', { item: 'article', title: 'h2', link: 'h2', date: null, summary: null, next: null, pages: 1 }, NOW);
    expect(page.items[0]?.published).toBe('2025-07-20T00:00:00.000Z');
  });

  it('is a MappingError when the item, title or link selector matches nothing', () => {
    const config: HtmlListingConfig = { item: 'article', title: 'h2', link: 'a', date: null, summary: null, next: null, pages: 1 };
    expect(() => parseListing('<div>redesigned</div>', 'https://x.example/', config, NOW)).toThrow(expect.objectContaining({ kind: 'MappingError', details: expect.objectContaining({ key: 'item' }) }));
    expect(() => parseListing('<article><h3><a href="/a">x</a></h3></article>', 'https://x.example/', config, NOW)).toThrow(expect.objectContaining({ kind: 'MappingError', details: expect.objectContaining({ key: 'title' }) }));
    expect(() => parseListing('<article><h2>No link</h2></article>', 'https://x.example/', config, NOW)).toThrow(expect.objectContaining({ kind: 'MappingError', details: expect.objectContaining({ key: 'link' }) }));
  });
});
