import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from './canonical-url.js';

describe('canonicalizeUrl', () => {
  const cases: [string, string | null][] = [
    ['HTTPS://Example.COM:443/a/b/?utm_source=rss&utm_medium=feed#section', 'https://example.com/a/b'],
    ['http://example.com:80/a', 'https://example.com/a'],
    ['https://example.com/a?b=2&a=1&fbclid=xyz&gclid=1', 'https://example.com/a?a=1&b=2'],
    ['https://example.com/', 'https://example.com'],
    ['https://example.com', 'https://example.com'],
    ['https://user:pw@example.com/x', 'https://example.com/x'],
    ['https://example.com./x//', 'https://example.com/x'],
    ['https://example.com/%7Euser', 'https://example.com/%7Euser'],
    ['https://example.com/page?id=5&mc_cid=1&_hsenc=2', 'https://example.com/page?id=5'],
    ['ftp://example.com/file', null],
    ['javascript:alert(1)', null],
    ['not a url', null],
  ];
  it.each(cases)('%s -> %s', (input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const [input] of cases) {
      const once = canonicalizeUrl(input);
      if (once !== null) expect(canonicalizeUrl(once)).toBe(once);
    }
  });

  it('keeps parameters that identify the page', () => {
    expect(canonicalizeUrl('https://example.com/article.php?id=42&page=2')).toBe('https://example.com/article.php?id=42&page=2');
  });

  it('maps AMP, print and mobile renderings to the article', () => {
    const article = 'https://news.example/2027/03/harborline';
    for (const variant of [
      'https://news.example/2027/03/harborline/amp',
      'https://news.example/2027/03/harborline/amp/',
      'https://news.example/2027/03/harborline/amp.html',
      'https://news.example/2027/03/harborline/print',
      'https://news.example/2027/03/harborline?amp=1',
      'https://news.example/2027/03/harborline?outputType=amp',
      'https://news.example/2027/03/harborline?print=true',
      'https://m.news.example/2027/03/harborline',
      'https://amp.news.example/2027/03/harborline',
    ]) {
      expect(canonicalizeUrl(variant), variant).toBe(article);
    }
  });

  it('keeps hosts and parameters that only look like variants', () => {
    expect(canonicalizeUrl('https://m.example/article')).toBe('https://m.example/article');
    expect(canonicalizeUrl('https://news.example/guide/print-shops')).toBe('https://news.example/guide/print-shops');
    expect(canonicalizeUrl('https://news.example/story?view=comments')).toBe('https://news.example/story?view=comments');
  });
});
