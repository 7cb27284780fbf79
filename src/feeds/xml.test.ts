import fc from 'fast-check';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { expectedTitle, sampleEntries, sampleMeta } from '../../test/support/feed-samples.js';
import { renderFeed } from './render.js';
import { cdata, el, escapeXml, serializeXmlDocument, stripInvalidXmlChars } from './xml.js';

describe('stripInvalidXmlChars', () => {
  it('drops C0 controls, lone surrogates and U+FFFE/U+FFFF; keeps tab, newlines, astral characters', () => {
    expect(stripInvalidXmlChars('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFFg')).toBe('abcdefg');
    expect(stripInvalidXmlChars('x\uD800y\uDC00z')).toBe('xyz');
    expect(stripInvalidXmlChars('\t\n\r🔐 日本 \u00A0')).toBe('\t\n\r🔐 日本 \u00A0');
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });

  it('returns clean text untouched', () => {
    expect(escapeXml('https://example.com/a-b_c')).toBe('https://example.com/a-b_c');
  });
});

describe('serializeXmlDocument', () => {
  it('writes attributes escaped (tab/newline kept as references), skips null attributes and children', () => {
    const xml = serializeXmlDocument(el('root', { a: 'x"y\tz\n', b: null, c: 0 }, null, false, el('empty'), el('t', {}, 'a<b')));
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?>\n<root a="x&quot;y&#9;z&#10;" c="0">\n  <empty/>\n  <t>a&lt;b</t>\n</root>\n');
  });

  it('puts HTML in CDATA, splitting any "]]>" inside it', () => {
    const xml = serializeXmlDocument(el('d', {}, cdata('<p>a]]>b\u0001</p>')));
    expect(xml).toContain('<d><![CDATA[<p>a]]]]><![CDATA[>b</p>]]></d>');
  });
});

describe('property: any title survives RSS and Atom through rss-parser', () => {
  const parser = new Parser();
  const [template] = sampleEntries(1) as [ReturnType<typeof sampleEntries>[number]];

  it.each(['rss', 'atom'] as const)('%s', async (format) => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }), async (title) => {
        fc.pre(expectedTitle({ title }) !== '');
        const xml = renderFeed(format, sampleMeta('https://wire.example.com', format), [{ ...template, title }]);
        const parsed = await parser.parseString(xml);
        expect(parsed.items[0]?.title).toBe(expectedTitle({ title }));
      }),
      { numRuns: 150 },
    );
  });
});
