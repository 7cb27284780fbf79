import * as cheerio from 'cheerio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleTextFromHtml } from './html.js';

/**
 * The cheerio version articleTextFromHtml replaced: a document, boilerplate and related blocks removed, lists
 * of links removed, a line break appended to each block. The one-pass version must give the same text.
 */
function referenceText(html: string): string {
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
  $('nav, aside, footer, header, script, style, noscript, form, [role="navigation"], [role="complementary"]').remove();
  const related = /\b(?:related|recommend|more[-_ ]?(?:stories|news|articles)|read[-_ ]?more|popular|trending|sidebar|promo|newsletter|share|social|breadcrumb|see[-_ ]also)/i;
  $('[class], [id]').each((_, element) => {
    if (related.test(`${$(element).attr('class') ?? ''} ${$(element).attr('id') ?? ''}`)) $(element).remove();
  });
  $('ul, ol').each((_, element) => {
    const list = $(element);
    const total = list.text().trim().length;
    const linked = list.find('a').text().trim().length;
    if (total > 0 && linked / total >= 0.8) list.remove();
  });
  const blocks = new Set(['p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'section', 'article', 'table', 'tr', 'br']);
  $('*').each((_, element) => {
    if (element.type === 'tag' && blocks.has(element.name)) $(element).append('\n');
  });
  return $.root()
    .text()
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();
}

describe('articleTextFromHtml', () => {
  it('drops navigation, related blocks and lists of links, keeps prose and prose lists', () => {
    const html = `<article><h1>LockBit hits a hospital</h1><nav><a href="/">Home</a></nav>
      <p>The LockBit gang encrypted the hospital&#39;s servers.</p>
      <ul><li>Patients were moved.</li><li>Surgeries were <a href="/x">delayed</a>.</li></ul>
      <ul><li><a href="/1">Cl0p hits a bank</a></li><li><a href="/2">Akira hits a school</a></li></ul>
      <div class="related-posts"><p>Related: BlackCat returns</p></div>
      <div role="complementary">Sidebar</div><p>Line one<br>line two</p><script>var x = "Emotet";</script></article>`;
    const text = articleTextFromHtml(html);
    expect(text).toContain("The LockBit gang encrypted the hospital's servers.");
    expect(text).toContain('Surgeries were delayed.');
    expect(text).toContain('Line one\nline two');
    for (const dropped of ['Home', 'Cl0p', 'Akira', 'BlackCat', 'Sidebar', 'Emotet']) expect(text).not.toContain(dropped);
    expect(text).toBe(referenceText(html));
  });

  it('judges a list by all of its text, nested lists and nested links included', () => {
    const cases = [
      '<ul><li><a>one link that is long</a><ul><li>short</li></ul></li></ul><p>after</p>',
      '<ol><li>prose here <a>x</a></li><li><ul><li><a>a</a></li><li><a>b</a></li></ul></li></ol>',
      '<ul><li><a>outer <a>inner text</a></a> tail</li></ul>',
      '<ul><li>ab<ul><li><a>a long link in the inner list</a></li></ul></li></ul><p>after</p>',
      '<ul><li class="share"><a>Tweet</a></li><li>Plain words in the list</li></ul>',
      '<ul>   </ul><ul><li><a> </a></li></ul><p>x</p>',
      '<ul><li>unclosed <a>link text running on <p>into a paragraph',
      '<div><ul><li><a>a</a></div> after the div</li></ul>',
    ];
    for (const html of cases) expect(articleTextFromHtml(html), html).toBe(referenceText(html));
    // 8 of 10 characters linked is a list of links; 7 of 10 is prose.
    expect(articleTextFromHtml('<ul><li><a>abcdefgh</a>ij</li></ul><p>kept</p>')).toBe('kept');
    expect(articleTextFromHtml('<ul><li><a>abcdefg</a>hij</li></ul><p>kept</p>')).toBe('abcdefghij\n\nkept');
  });

  it('gives the cheerio version\'s text for arbitrary markup', () => {
    const tag = fc.constantFrom('p', 'div', 'ul', 'ol', 'li', 'a', 'span', 'b', 'br', 'nav', 'aside', 'footer', 'section', 'table', 'tr', 'td', 'pre', 'h2', 'script', 'style', 'img', 'form', 'header', 'blockquote');
    const attribute = fc.constantFrom('', ' class="post"', ' class="related-links"', ' id="sidebar"', ' role="navigation"', ' role="Navigation"', ' class="c1" id="x"', ' class', ' id="share-bar"', ' href="/a"');
    const text = fc.constantFrom('LockBit', ' encrypted ', 'CVE-2024-1234', '&amp; more', '\u00a0', '\n\n', '  ', 'R&D', '&lt;b&gt;', 'x', '<!-- c -->', '<![CDATA[cd]]>');
    const piece = fc.oneof(
      text,
      fc.tuple(tag, attribute).map(([name, attrs]) => `<${name}${attrs}>`),
      tag.map((name) => `</${name}>`),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const html = pieces.join('');
        expect(articleTextFromHtml(html)).toBe(referenceText(html));
      }),
      { numRuns: 2000 },
    );
  });
});
