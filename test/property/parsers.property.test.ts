/**
 * Property tests: arbitrary input never throws anything but the named error kinds, never hangs, and the
 * URL canonicaliser is idempotent. Run counts are modest so CI stays fast; `FC_RUNS` raises them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecwireError } from '../../src/errors.js';
import { extractArticle } from '../../src/extract/index.js';
import { decodeBody } from '../../src/fetchers/charset.js';
import { parseFeedDate } from '../../src/fetchers/dates.js';
import { parseFeed } from '../../src/fetchers/parse/index.js';
import { canonicalizeUrl } from '../../src/store/canonical-url.js';
import { ftsExcluded, ftsMatch, parseQuery } from '../../src/store/search-query.js';

const runs = Number(process.env['FC_RUNS'] ?? 200);

function expectOnlyKinds(run: () => unknown, kinds: string[]): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SecwireError);
    expect(kinds).toContain((error as SecwireError).kind);
  }
}

async function expectOnlyKindsAsync(run: () => Promise<unknown>, kinds: string[]): Promise<void> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(SecwireError);
    expect(kinds).toContain((error as SecwireError).kind);
  }
}

const xmlish = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.constantFrom('<rss version="2.0"><channel>', '<feed xmlns="http://www.w3.org/2005/Atom">', '<rdf:RDF>', '{"version":"https://jsonfeed.org/version/1.1","items":[', '<item><title>', '</title>', '<![CDATA[', ']]>', '&amp;', '&bogus;', '<!DOCTYPE x [<!ENTITY a "b">]>', '\u0000', '\uFEFF').chain((head) =>
    fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('<item>', '</item>', '<link>', 'http://x/', '</link>', '<entry>', '</entry>', '<title>', '</title>', '"items":[{"id":1}]', '}', ']', '<')), { maxLength: 30 }).map((parts) => head + parts.join('')),
  ),
);

describe('property: parsers take any input', () => {
  it('parseFeed resolves or throws NotAFeed/ParseError', async () => {
    await fc.assert(
      fc.asyncProperty(xmlish, async (text) => {
        await expectOnlyKindsAsync(() => parseFeed(text, 'https://example.com/feed'), ['NotAFeed', 'ParseError']);
      }),
      { numRuns: runs },
    );
  });

  it('decodeBody returns text or throws Decode for any bytes and content type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.option(fc.constantFrom('text/xml; charset=windows-1252', 'application/rss+xml', 'text/html; charset=utf-16', 'text/xml; charset=bogus', 'application/json')), (bytes, contentType) => {
        expectOnlyKinds(() => decodeBody(Buffer.from(bytes), contentType), ['Decode']);
      }),
      { numRuns: runs },
    );
  });

  it('parseFeedDate returns null or a valid ISO instant', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())), (value) => {
        const parsed = parseFeedDate(value);
        if (parsed !== null) expect(new Date(parsed).toISOString()).toBe(parsed);
      }),
      { numRuns: runs * 2 },
    );
  });

  it('canonicalizeUrl is idempotent and returns only absolute http(s) URLs', () => {
    const urls = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.tuple(fc.webUrl(), fc.array(fc.tuple(fc.constantFrom('utm_source', 'id', 'fbclid', 'page', 'gclid', 'q'), fc.string({ maxLength: 8 })), { maxLength: 4 })).map(
        ([url, params]) => `${url}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
      ),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(urls, (url) => {
        const once = canonicalizeUrl(url);
        if (once === null) return;
        expect(once).toMatch(/^https?:\/\//);
        expect(canonicalizeUrl(once)).toBe(once);
      }),
      { numRuns: runs * 2 },
    );
  });

  it('parseQuery throws only QueryError and never lets an unquoted FTS5 operator through', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        let parsed;
        try {
          parsed = parseQuery(text);
        } catch (error) {
          expect(error).toBeInstanceOf(SecwireError);
          expect((error as SecwireError).kind).toBe('QueryError');
          return;
        }
        for (const expression of [ftsMatch(parsed), ftsExcluded(parsed)]) {
          if (expression === null) continue;
          // Outside quoted strings only AND, OR, parentheses, * and spaces may appear.
          const outside = expression.replace(/"(?:[^"]|"")*"/g, '');
          expect(outside).toMatch(/^[\sANDOR()*]*$/);
        }
      }),
      { numRuns: runs * 2 },
    );
  });

  it('extractArticle returns an article or throws NoArticle for arbitrary markup', () => {
    const html = fc.array(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('<div>', '</div>', '<p>', '</p>', '<article>', '<script>', '</script>', '<h1>', '</h1>', '<time datetime="2026-01-02">', '<meta property="article:published_time" content="x">', '<a href="javascript:alert(1)">', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '<!--', '-->')), { maxLength: 80 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(html, (markup) => {
        try {
          const article = extractArticle(markup, 'https://example.com/2026/01/02/story');
          expect(article.html).not.toMatch(/<script|onerror=|onload=|javascript:/i);
        } catch (error) {
          expect(error).toBeInstanceOf(SecwireError);
          expect((error as SecwireError).kind).toBe('NoArticle');
        }
      }),
      { numRuns: runs },
    );
  });
});
