import { describe, expect, it } from 'vitest';
import { ARTICLE_TEXT, testPage } from '../../test/extract/pages.js';
import { extractArticle } from './index.js';

const URL_PLAIN = 'https://news.example.org/story/acme-breach';
const now = new Date('2024-06-01T12:00:00Z');

function datesOf(html: string, options: { url?: string; feedPublished?: string | null } = {}) {
  const result = extractArticle(html, options.url ?? URL_PLAIN, { now: undefined, feedPublished: options.feedPublished ?? null, rules: null, limits: {} });
  expect(result.text).toBe(ARTICLE_TEXT);
  return { published: result.published, source: result.publishedSource, modified: result.modified, conflict: result.dateConflict ?? null };
}

describe('publication date sources, by order of trust', () => {
  it('reads JSON-LD NewsArticle', () => {
    const head = `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Acme","datePublished":"2021-11-29T09:15:00+01:00","dateModified":"2021-11-30T08:00:00+01:00"}</script>
      <meta property="article:published_time" content="2020-01-01T00:00:00Z">`;
    expect(datesOf(testPage({ head }))).toEqual({ published: '2021-11-29T09:15:00+01:00', source: 'jsonld', modified: '2021-11-30T08:00:00+01:00', conflict: null });
  });

  it('reads JSON-LD inside @graph, with the type given as a list', () => {
    const head = `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Example News"},{"@type":["BlogPosting"],"headline":"Acme","datePublished":"2021-11-29T10:00:00Z"}]}</script>`;
    expect(datesOf(testPage({ head }))).toMatchObject({ published: '2021-11-29T10:00:00Z', source: 'jsonld' });
  });

  it('reads Open Graph article:published_time and article:modified_time', () => {
    const head = `<meta property="article:published_time" content="2021-11-29T10:00:00-05:00"><meta property="article:modified_time" content="2021-11-29T12:00:00-05:00">`;
    expect(datesOf(testPage({ head }))).toEqual({ published: '2021-11-29T10:00:00-05:00', source: 'meta', modified: '2021-11-29T12:00:00-05:00', conflict: null });
  });

  it.each([
    ['Parsely', '<meta name="parsely-pub-date" content="2021-11-29T10:00:00Z">'],
    ['Sailthru', '<meta name="sailthru.date" content="2021-11-29 10:00:00 +0000">'],
    ['Dublin Core', '<meta name="DC.date.issued" content="2021-11-29T10:00:00Z">'],
    ['pubdate', '<meta name="pubdate" content="20211129T100000Z">'],
    ['date', '<meta name="date" content="2021-11-29T10:00:00Z">'],
  ])('reads %s meta', (_name, head) => {
    expect(datesOf(testPage({ head }))).toMatchObject({ published: '2021-11-29T10:00:00Z', source: 'meta' });
  });

  it('reads <time datetime> in the article header, not the one in a related box', () => {
    const articleHeader = '<time datetime="2021-11-29T10:00:00Z">Nov 29</time>';
    const beforeArticle = '<div class="related-stories"><time datetime="2020-05-05T10:00:00Z">May 5</time></div>';
    expect(datesOf(testPage({ articleHeader, beforeArticle }))).toMatchObject({ published: '2021-11-29T10:00:00Z', source: 'time' });
  });

  it('reads the date in the URL', () => {
    expect(datesOf(testPage(), { url: 'https://news.example.org/2021/11/29/acme-breach/' })).toMatchObject({ published: '2021-11-29T00:00:00Z', source: 'url' });
  });

  it.each([
    ['English', 'Published November 29, 2021 at 9:15 am', '2021-11-29T09:15:00Z'],
    ['German', 'Veröffentlicht am 29. November 2021, 09:15 Uhr', '2021-11-29T09:15:00Z'],
    ['German numeric', 'Stand: 29.11.2021 09:15 Uhr', '2021-11-29T09:15:00Z'],
    ['French', 'Publié le 29 novembre 2021 à 09h15', '2021-11-29T09:15:00Z'],
    ['Spanish', 'Publicado el 29 de noviembre de 2021', '2021-11-29T00:00:00Z'],
    ['Japanese', '2021年11月29日 9時15分', '2021-11-29T09:15:00+09:00'],
  ])('reads visible %s date text near the headline', (_language, text, expected) => {
    const articleHeader = `<div class="post-date">${text}</div>`;
    expect(datesOf(testPage({ articleHeader }))).toMatchObject({ published: expected, source: 'text' });
  });

  it('falls back to the feed date when the page has none', () => {
    expect(datesOf(testPage(), { feedPublished: 'Mon, 29 Nov 2021 10:00:00 GMT' })).toEqual({ published: '2021-11-29T10:00:00Z', source: 'feed', modified: null, conflict: null });
  });

  it('falls back to first-seen (now) when nothing else dates the page', () => {
    const result = extractArticle(testPage(), URL_PLAIN, { now, rules: null });
    expect(result.published).toBe('2024-06-01T12:00:00.000Z');
    expect(result.publishedSource).toBe('first-seen');
  });

  it('rejects a future page date and a pre-1995 one, then uses the next source', () => {
    const head = '<meta property="article:published_time" content="2031-01-01T00:00:00Z"><meta name="date" content="1990-01-01">';
    const result = extractArticle(testPage({ head }), 'https://news.example.org/2021/11/29/acme/', { now, rules: null });
    expect(result.published).toBe('2021-11-29T00:00:00Z');
    expect(result.publishedSource).toBe('url');
  });

  it('prefers the feed date over weak page evidence that disagrees by more than a day, and flags it', () => {
    const articleHeader = '<div class="post-date">Posted September 19, 2024</div>';
    const result = extractArticle(testPage({ articleHeader }), URL_PLAIN, { now: new Date('2025-01-01T00:00:00Z'), rules: null, feedPublished: '2021-11-29T10:00:00Z' });
    expect(result.published).toBe('2021-11-29T10:00:00Z');
    expect(result.publishedSource).toBe('feed');
    expect(result.dateConflict).toEqual({ page: '2024-09-19T00:00:00Z', pageSource: 'text', feed: '2021-11-29T10:00:00Z' });
  });

  it('keeps a strong page date that disagrees with the feed, and flags it', () => {
    const head = '<meta property="article:published_time" content="2021-11-29T10:00:00Z">';
    const result = extractArticle(testPage({ head }), URL_PLAIN, { rules: null, feedPublished: '2024-09-19T18:46:24Z', now: new Date('2025-01-01T00:00:00Z') });
    expect(result.published).toBe('2021-11-29T10:00:00Z');
    expect(result.publishedSource).toBe('meta');
    expect(result.dateConflict).toEqual({ page: '2021-11-29T10:00:00Z', pageSource: 'meta', feed: '2024-09-19T18:46:24Z' });
  });

  it('sees no conflict when page and feed agree within a day', () => {
    const head = '<meta property="article:published_time" content="2021-11-29T10:00:00Z">';
    const result = extractArticle(testPage({ head }), URL_PLAIN, { rules: null, feedPublished: '2021-11-29T20:00:00Z' });
    expect(result.publishedSource).toBe('meta');
    expect(result.dateConflict).toBeNull();
  });
});
