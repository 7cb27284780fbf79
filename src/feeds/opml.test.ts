import { describe, expect, it } from 'vitest';
import { parseOpml, renderOpml } from './opml.js';

describe('parseOpml', () => {
  it('reads nested outlines, missing titles, text-only titles and any spelling of xmlUrl', () => {
    const feeds = parseOpml(`<?xml version="1.0"?>
<opml version="2.0"><head><title>t</title></head><body>
  <outline text="Security">
    <outline text="Deep"><outline type="rss" text="Inner &amp; Co" xmlUrl="https://a.example/feed"/></outline>
    <outline type="rss" xmlurl="https://b.example/rss"/>
  </outline>
  <outline type="rss" title="Top" text="ignored" XMLURL="https://c.example/atom" htmlUrl="https://c.example/"/>
  <outline text="folder without feeds"/>
</body></opml>`);
    expect(feeds).toEqual([
      { title: 'Inner & Co', xmlUrl: 'https://a.example/feed', htmlUrl: null, categories: ['Security', 'Deep'] },
      { title: null, xmlUrl: 'https://b.example/rss', htmlUrl: null, categories: ['Security'] },
      { title: 'Top', xmlUrl: 'https://c.example/atom', htmlUrl: 'https://c.example/', categories: [] },
    ]);
  });

  it('refuses a file that is not OPML with a ParseError', () => {
    expect(() => parseOpml('<rss><channel/></rss>')).toThrow(expect.objectContaining({ kind: 'ParseError' }));
    expect(() => parseOpml('<opml version="2.0"><head/></opml>')).toThrow(/no <body>/);
  });
});

describe('renderOpml', () => {
  it('escapes titles and URLs and reads back to the same feeds', () => {
    const outlines = [
      { title: 'A <b> & "quoted"', xmlUrl: 'https://x.example/feed?a=1&b=2', htmlUrl: 'https://x.example/' },
      { title: "it's", xmlUrl: 'https://y.example/rss' },
    ];
    const text = renderOpml('mine & yours', [{ title: 'Group', outlines }, { title: 'Empty', outlines: [] }], new Date('2026-01-02T03:04:05Z'));
    expect(text).toContain('<title>mine &amp; yours</title>');
    expect(text).toContain('<dateCreated>Fri, 02 Jan 2026 03:04:05 GMT</dateCreated>');
    expect(text).not.toContain('Empty');
    expect(parseOpml(text)).toEqual([
      { title: 'A <b> & "quoted"', xmlUrl: 'https://x.example/feed?a=1&b=2', htmlUrl: 'https://x.example/', categories: ['Group'] },
      { title: "it's", xmlUrl: 'https://y.example/rss', htmlUrl: null, categories: ['Group'] },
    ]);
  });
});
