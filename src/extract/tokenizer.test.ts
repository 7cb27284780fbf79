import { load, type CheerioOptions } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import fc from 'fast-check';
import type { ParserOptions } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { FastTokenizer } from './tokenizer.js';

const fast: CheerioOptions & Pick<ParserOptions, 'Tokenizer'> = { Tokenizer: FastTokenizer };

/** Every node with its type, name, attributes and data, in document order: two trees alike give equal dumps. */
function dump(node: AnyNode, out: string[] = []): string[] {
  out.push(node.type, 'name' in node ? node.name : '', 'attribs' in node ? JSON.stringify(node.attribs) : '', 'data' in node ? node.data : '');
  if ('children' in node) for (const child of node.children) dump(child, out);
  out.push('/');
  return out;
}

function sameTree(html: string): void {
  const stock = load(html).root()[0] as AnyNode;
  const skipping = load(html, fast).root()[0] as AnyNode;
  expect(dump(skipping)).toEqual(dump(stock));
}

describe('FastTokenizer', () => {
  it.each([
    ['text with entities', '<p>Fish &amp; chips &lt;b&gt; &copy &#x41;&#66; &unknown; end &</p>'],
    ['attributes', `<a href="/x?a=1&amp;b=2" title='it&apos;s "q"' data-x=bare&amp;more class="">link</a><img alt="a > b" src=x>`],
    ['scripts and styles', '<script>if (a < b && c > d) { x = "</div>"; }</script><style>a > b { content: "<" }</style><script type="application/ld+json">{"@type":"NewsArticle"}</script><p>after</p>'],
    ['script end tag variants', '<script>a</SCRIPT >b</script\n>c<script>d<</script>e<script>x</scriptx></script>'],
    ['comments and CDATA', '<!-- a < b & c --><p>x</p><!----><![CDATA[ raw < & ]]><!-- unterminated'],
    ['title and textarea', '<title>A &amp; B <i>not a tag</i></title><textarea>x &lt; y</textarea>'],
    ['unterminated', '<p>open <a href="never closed'],
    ['a lone ampersand at the end', 'text &'],
    ['no markup at all', 'just words, nothing else'],
  ])('builds the same tree as the stock tokenizer: %s', (_, html) => {
    sameTree(html);
  });

  it('builds the same tree as the stock tokenizer for arbitrary markup-like strings', () => {
    const piece = fc.oneof(
      fc.constantFrom('<p>', '</p>', '<a href="', '"', "'", '>', '<', '&', '&amp;', '&#x3c;', '&lt', '<script>', '</script>', '<style>', '</style>', '<!--', '-->', '<title>', '</title>', ' ', '=', '/>', '<![CDATA[', ']]>'),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        sameTree(pieces.join(''));
      }),
      { numRuns: 300 },
    );
  });
});
