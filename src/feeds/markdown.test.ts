import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Article, Tag } from '../types.js';
import { articleMarkdownBody, articleToMarkdown, frontMatterDate, markdownFileName, splitFrontMatter } from './markdown.js';

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: 7,
    url: 'https://news.example/2026/11/breach?x=1&y=2',
    canonicalUrl: 'https://news.example/2026/11/breach',
    source: 'news',
    title: 'Maker "confirms" breach: #1 <files> & more',
    authors: ['A. Writer'],
    published: '2026-11-20T09:30:00.000Z',
    publishedSource: 'jsonld',
    updated: '2026-11-21T10:00:00.000Z',
    firstSeen: '2026-11-20T10:00:00.000Z',
    lang: 'en',
    image: 'https://news.example/lead.jpg',
    summary: null,
    text: 'First paragraph.\n\nSecond one.',
    html: '<h2>What happened</h2><p>The <strong>maker</strong> said <a href="https://maker.example/pr">in a statement</a>:</p><ul><li>one</li><li>two</li></ul><pre><code>rm -rf /</code></pre><img src="https://news.example/fig.png" alt="figure"><script>alert(1)</script>',
    tags: ['actor:apt29', 'incident:data-breach'],
    story: null,
    ...overrides,
  };
}

const TAGS: Tag[] = [
  { type: 'actor', value: 'apt29', slug: 'actor:apt29', name: 'APT29' },
  { type: 'incident', value: 'data-breach', slug: 'incident:data-breach', name: 'Data breach' },
  { type: 'actor', value: 'apt28', slug: 'actor:apt28', name: 'APT28' },
];

describe('articleToMarkdown', () => {
  it('writes the seed shape of front matter, which YAML reads back exactly', () => {
    const { frontMatter, body } = splitFrontMatter(articleToMarkdown(article(), TAGS, 'News: "Example"'));
    expect(parse(frontMatter)).toEqual({
      title: 'Maker "confirms" breach: #1 <files> & more',
      date: '2026-11-20 09:30:00',
      updated: '2026-11-21 10:00:00',
      tags: ['actor:apt29', 'incident:data-breach', 'actor:apt28'],
      categories: ['actor', 'incident'],
      thumbnail: 'https://news.example/lead.jpg',
      source: 'News: "Example"',
      url: 'https://news.example/2026/11/breach?x=1&y=2',
    });
    expect(body.startsWith('## Maker "confirms" breach: #1 <files> & more\n\n')).toBe(true);
  });

  it('dates an undated article by first sight and leaves out a missing thumbnail', () => {
    const { frontMatter } = splitFrontMatter(articleToMarkdown(article({ published: null, updated: null, image: null }), [], 'News'));
    const matter = parse(frontMatter) as Record<string, unknown>;
    expect(matter['date']).toBe('2026-11-20 10:00:00');
    expect(matter['updated']).toBe('2026-11-20 10:00:00');
    expect(matter).not.toHaveProperty('thumbnail');
    expect(matter['tags']).toEqual([]);
  });
});

describe('articleMarkdownBody', () => {
  it('turns headings, lists, links, images and code into Markdown and drops scripts', () => {
    const body = articleMarkdownBody(article());
    expect(body).toContain('## What happened');
    expect(body).toContain('The **maker** said [in a statement](https://maker.example/pr):');
    expect(body).toMatch(/^- {1,3}one$/m);
    expect(body).toContain('```\nrm -rf /\n```');
    expect(body).toContain('![figure](https://news.example/fig.png)');
    expect(body).not.toContain('alert');
  });

  it('falls back to the plain text, paragraph by paragraph, escaping Markdown syntax', () => {
    expect(articleMarkdownBody(article({ html: null, text: '# not a heading\n\n*not emphasis*' }))).toBe('\\# not a heading\n\n\\*not emphasis\\*');
  });
});

describe('file names and dates', () => {
  it('names files by date and slug, Jekyll style, unique by id', () => {
    expect(markdownFileName(article())).toBe('2026-11-20-maker-confirms-breach-1-files-more-7.md');
    expect(markdownFileName(article({ title: 'パナソニック', id: 9 }))).toBe('2026-11-20-article-9.md');
  });

  it('writes dates in UTC', () => {
    expect(frontMatterDate('2026-11-20T18:30:00+09:00')).toBe('2026-11-20 09:30:00');
  });
});

describe('figures', () => {
  it('writes a caption in italics under its image', () => {
    const body = articleMarkdownBody(article({ html: '<figure><img src="https://n.example/a.png" alt="A"><figcaption>The <b>site</b></figcaption></figure><p>Text.</p>' }));
    expect(body).toBe('![A](https://n.example/a.png)\n\n*The **site***\n\nText.');
  });
});
