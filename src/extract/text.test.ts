import { load } from 'cheerio/slim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText, nodesToText } from './text.js';

/** What htmlToText gave before it skipped the DOM: the walk over the parsed fragment. */
function viaDom(html: string): string {
  const root = load(html, null, false).root()[0];
  return root ? nodesToText(root.children) : '';
}

describe('htmlToText', () => {
  it('separates blocks, keeps line breaks and pre, collapses other whitespace', () => {
    expect(htmlToText('<p>One\n  two</p><p>Three<br>four</p><pre>  a\n    b\n</pre><ul><li>x</li><li>y</li></ul>')).toBe('One two\n\nThree\nfour\n\n  a\n    b\n\nx\n\ny');
  });

  it('drops what is never text: scripts, styles, navigation, forms', () => {
    expect(htmlToText('<p>Kept</p><script>alert(1)</script><nav><a>Menu</a></nav><svg><title>t</title></svg><select><option>o</option></select><p>also</p>')).toBe('Kept\n\nalso');
  });

  it('decodes entities, with or without markup', () => {
    expect(htmlToText('AT&amp;T &lt;patch&gt; &#8220;now&#8221;')).toBe('AT&T <patch> “now”');
    expect(htmlToText('<p>AT&amp;T&nbsp;&nbsp;fix</p>')).toBe('AT&T fix');
  });

  it('plain text comes back trimmed with whitespace collapsed', () => {
    expect(htmlToText('  Ivanti\tpatches\n\n Connect Secure  ')).toBe('Ivanti patches Connect Secure');
    expect(htmlToText('')).toBe('');
  });

  it('table cells are spaced, implied closes end blocks', () => {
    expect(htmlToText('<table><tr><td>a</td><td>b</td></tr></table><p>one<p>two<li>three')).toBe('a b\n\none\n\ntwo\n\nthree');
  });

  const fragment = fc
    .array(
      fc.oneof(
        fc.constantFrom('<p>', '</p>', '<div>', '</div>', '<br>', '</br>', '<pre>', '</pre>', '<li>', '<ul>', '</ul>', '<td>', '<th>', '<tr>', '<table>', '</table>'),
        fc.constantFrom('<script>x<p>y</p></script>', '<style>p{}</style>', '<nav>', '</nav>', '<svg><p>z</svg>', '<b>', '</b>', '<a href="x">', '</a>', '<!-- c -->', '<![CDATA[d]]>'),
        fc.constantFrom('&amp;', '&nbsp;', '&#10;', '&lt;', '&copy', '&bogus;', ' ', '\n', '\t', '\r\n', '  '),
        fc.string({ maxLength: 12 }),
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));

  it('property: the same text as the DOM walk, for arbitrary mixes of blocks, skipped tags, entities and whitespace', () => {
    fc.assert(
      fc.property(fragment, (html) => {
        expect(htmlToText(html)).toBe(viaDom(html));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('whitespace collapsing', () => {
  // The collapsing as first written, one regular expression per rule: the faster ones must give the same text.
  const reference = (text: string): string => text.replace(/\s+/g, ' ').replace(/[ \t\f\v\r]+/g, ' ').replace(/ ?\n ?/g, '\n').trim();

  it('gives the text of a paragraph as the plain collapsing rules do, for any mix of words and whitespace', () => {
    const piece = fc.constantFrom('word', 'x', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\f', '\v', '\ufeff', '\u2028', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(htmlToText(`<p>${text}</p>`)).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps <br> line breaks while collapsing the spaces around them', () => {
    expect(htmlToText('<p>one \t <br>  two\u00a0 \n three<br></p>')).toBe('one\ntwo three');
  });
});
