import { describe, expect, it } from 'vitest';
import { discoverFeeds } from './discover.js';

describe('discoverFeeds', () => {
  it('finds rss, atom, json and rdf alternates in document order, absolute and deduplicated', () => {
    const html = `<!doctype html><html><head>
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
      <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://example.test/atom">
      <link rel="alternate" type="application/feed+json" href="feed.json">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="alternate" type="application/rdf+xml" href="/index.rdf">
      <link rel="alternate" hreflang="fr" href="/fr/">
    </head><body><a href="/other.xml" rel="alternate" type="application/rss+xml">not a link element</a></body></html>`;
    expect(discoverFeeds(html, 'https://example.test/news/')).toEqual([
      'https://example.test/feed.xml',
      'https://example.test/atom',
      'https://example.test/news/feed.json',
      'https://example.test/index.rdf',
    ]);
  });

  it('resolves against <base href> and drops non-http links', () => {
    const html = `<head><base href="https://cdn.example.test/site/">
      <link rel="alternate" type="application/rss+xml" href="rss">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/atom+xml" href="ftp://example.test/atom"></head>`;
    expect(discoverFeeds(html, 'https://example.test/')).toEqual(['https://cdn.example.test/site/rss']);
  });

  it('returns nothing for a page without feeds', () => {
    expect(discoverFeeds('<p>hello</p>', 'https://example.test/')).toEqual([]);
  });
});
