import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECT_OPTIONS, suggestJson, suggestListing } from './suggest.js';

const OPTIONS = { ...DEFAULT_DETECT_OPTIONS, now: new Date('2025-07-30T12:00:00Z') };

const listing = `<html><body>
<nav><a href="/">Home</a><a href="/about">About us</a></nav>
<div id="main"><div class="posts">
${[1, 2, 3, 4].map((n) => `<article class="post card"><h2 class="entry-title"><a href="/2025/07/${n}/story-${n}">Story number ${n} headline</a></h2>
<time datetime="2025-07-2${n}T08:00:00Z">July 2${n}</time><p>Teaser ${n}.</p></article>`).join('\n')}
</div><a class="older-posts" href="/page/2/">Older posts</a></div></body></html>`;

describe('suggestListing', () => {
  it('guesses item, title, link, date, summary and next selectors that work on the page', () => {
    const { config, sample } = suggestListing(listing, 'https://blog.example/', OPTIONS);
    expect(config).toEqual({
      item: '#main > div.posts > article.post.card',
      title: 'h2.entry-title',
      link: 'h2.entry-title a[href]',
      date: 'time',
      summary: 'p',
      next: 'a.older-posts',
      pages: 1,
    });
    expect(sample).toEqual(['Story number 1 headline', 'Story number 2 headline', 'Story number 3 headline']);
  });

  it('is NotAFeed when the page has no repeated headline links', () => {
    expect(() => suggestListing('<p>Just <a href="/x">one long headline link</a></p>', 'https://x.example/', OPTIONS)).toThrow(expect.objectContaining({ kind: 'NotAFeed' }));
  });
});

describe('suggestJson', () => {
  it('finds the list of entries and maps common field names', () => {
    const text = JSON.stringify({ meta: { count: 2 }, data: { advisories: [{ id: 'A-1', title: 'First advisory', url: '/a/1', published: '2025-07-01' }, { id: 'A-2', title: 'Second', url: '/a/2' }] } });
    const found = suggestJson(text, 'https://adv.example/api', OPTIONS);
    expect(found).toMatchObject({ kind: 'json', json: { items: 'data.advisories', title: 'title', link: 'url', date: 'published', id: 'id', summary: null, tags: [] }, sample: ['First advisory', 'Second'] });
  });

  it('is a MappingError when no list of titled entries is found', () => {
    expect(() => suggestJson('{"a": [1, 2]}', 'https://adv.example/api', OPTIONS)).toThrow(expect.objectContaining({ kind: 'MappingError' }));
  });
});
