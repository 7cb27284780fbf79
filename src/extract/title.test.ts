import { describe, expect, it } from 'vitest';
import { PARAGRAPHS } from '../../test/extract/pages.js';
import { extractArticle } from './index.js';

const URL = 'https://news.example.org/story/acme-breach';

interface TitledPage {
  head?: string;
  title?: string;
  /** Markup between <body> and the article: site banners, navigation. */
  banner?: string;
  /** The article's own heading markup. */
  headline?: string;
}

function page(parts: TitledPage): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${parts.title === undefined ? '' : `<title>${parts.title}</title>`}${parts.head ?? ''}</head>
<body>${parts.banner ?? ''}<article>${parts.headline ?? ''}<div class="article-body">${PARAGRAPHS.map((text) => `<p>${text}</p>`).join('')}</div></article></body></html>`;
}

function titleOf(html: string): string | null {
  return extractArticle(html, URL, { rules: null }).title;
}

describe('title without metadata', () => {
  it('takes the <title> over an h1 that says something else about the same story', () => {
    const html = page({ title: 'Acme Widgets confirms breach of file servers', headline: '<h1>Acme Widgets confirms a breach</h1>' });
    expect(titleOf(html)).toBe('Acme Widgets confirms breach of file servers');
  });

  it('takes the article h1 when the <title> names only the site', () => {
    const html = page({ title: 'Example News', head: '<meta property="og:site_name" content="Example News">', headline: '<h1>Acme Widgets confirms breach of file servers</h1>' });
    expect(titleOf(html)).toBe('Acme Widgets confirms breach of file servers');
  });

  it('takes the lone h1 when there is no <title>', () => {
    expect(titleOf(page({ headline: '<h1>Acme Widgets confirms breach of file servers</h1>' }))).toBe('Acme Widgets confirms breach of file servers');
  });
});

describe('title from metadata', () => {
  it('reads og:title from property= before a name= copy written earlier in the head', () => {
    const head = '<meta name="og:title" content="Acme breach: the social card"><meta property="og:title" content="Acme Widgets confirms breach of file servers">';
    expect(titleOf(page({ title: 'Acme', head }))).toBe('Acme Widgets confirms breach of file servers');
  });
});

describe('site name in the title', () => {
  it.each([
    ['Acme Widgets confirms breach of file servers:Example News'],
    ['Acme Widgets confirms breach of file servers–Example News'],
    ['Example News_Acme Widgets confirms breach of file servers'],
  ])('drops the site name glued to the title by a separator mark: %s', (title) => {
    const head = `<meta property="og:site_name" content="Example News"><meta property="og:title" content="${title}">`;
    expect(titleOf(page({ title: 'Acme', head }))).toBe('Acme Widgets confirms breach of file servers');
  });

  it('keeps a title that only starts with the words of the site name', () => {
    const head = '<meta property="og:site_name" content="Acme"><meta property="og:title" content="Acme Widgets confirms breach of file servers">';
    expect(titleOf(page({ title: 'Acme', head }))).toBe('Acme Widgets confirms breach of file servers');
  });
});

describe('title from JSON-LD', () => {
  const jsonLd = (fields: string): string => `<script type="application/ld+json">{"@type":"Article",${fields}}</script>`;

  it('takes the JSON-LD name when the headline names the kind of page and the name is the page title', () => {
    const head = jsonLd('"name":"Acme Widgets confirms breach of file servers","headline":"Example wiki article"');
    expect(titleOf(page({ title: 'Acme Widgets confirms breach of file servers - Example Wiki', head, headline: '<h1>Acme Widgets confirms breach of file servers</h1>' })))
      .toBe('Acme Widgets confirms breach of file servers');
  });

  it.each([
    ['<![CDATA[', ']]>'],
    ['//<![CDATA[', '//]]>'],
    ['/*<![CDATA[*/', '/*]]>*/'],
  ])('reads JSON-LD wrapped in %s ... %s', (open, close) => {
    const head = `<script type="application/ld+json">\n  ${open}\n  {"@type":"NewsArticle","headline":"Acme Widgets confirms breach of file servers"}\n  ${close}\n</script>`;
    expect(titleOf(page({ title: 'Acme breach: what we know', head }))).toBe('Acme Widgets confirms breach of file servers');
  });

  it('keeps the JSON-LD headline when the page titles agree with it', () => {
    const head = jsonLd('"name":"Acme breach, the short version","headline":"Acme Widgets confirms breach of file servers"');
    expect(titleOf(page({ title: 'Acme Widgets confirms breach of file servers', head }))).toBe('Acme Widgets confirms breach of file servers');
  });
});

describe('visible headline and meta title', () => {
  const og = (title: string): string => `<meta property="og:title" content="${title}">`;

  it('takes the article h1 over an og:title rewritten for social cards when no JSON-LD headline is given', () => {
    const html = page({ title: 'Acme Widgets confirms breach of file servers | Example News', head: og('You will not believe what Acme found'), headline: '<h1>Acme Widgets confirms breach of file servers</h1>' });
    expect(titleOf(html)).toBe('Acme Widgets confirms breach of file servers');
  });

  it('takes the article h1 when the og:title is a shortened form of it, all of its words in the h1', () => {
    const html = page({ title: 'Acme breach | Example News', head: og('Acme breach'), headline: '<h1>Acme Widgets confirms breach of file servers</h1>' });
    expect(titleOf(html)).toBe('Acme Widgets confirms breach of file servers');
  });

  it('keeps the og:title when the h1 is a section name that shares no words with the titles', () => {
    const html = page({ title: 'Acme Widgets confirms breach | Example News', head: og('Acme Widgets confirms breach of file servers'), headline: '<h1>Latest security news today</h1>' });
    expect(titleOf(html)).toBe('Acme Widgets confirms breach of file servers');
  });

  it('keeps the og:title when the h1 is the blog name the <title> puts before it', () => {
    const html = page({ title: 'Widget Notes: Acme confirms breach of file servers', head: og('Acme confirms breach of file servers'), banner: '<h1>Widget Notes</h1>' });
    expect(titleOf(html)).toBe('Acme confirms breach of file servers');
  });

  it('keeps the og:title when the h1 is it behind a kicker', () => {
    const html = page({ title: 'Acme Widgets confirms breach of file servers', head: og('Acme Widgets confirms breach of file servers'), headline: '<h1>Industrial sensors - Acme Widgets confirms breach of file servers</h1>' });
    expect(titleOf(html)).toBe('Acme Widgets confirms breach of file servers');
  });

  it('keeps the JSON-LD headline over the h1', () => {
    const head = '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Acme Widgets confirms breach of file servers"}</script>';
    expect(titleOf(page({ title: 'Acme', head, headline: '<h1>Acme Widgets confirms a breach</h1>' }))).toBe('Acme Widgets confirms breach of file servers');
  });
});
