import { load } from 'cheerio/slim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executableContent } from '../../test/support/hostile-check.js';
import { sanitizeArticleHtml, sanitizeNodes } from './sanitize.js';
import { htmlToText } from './text.js';

describe('sanitizeArticleHtml', () => {
  const base = 'https://news.example.org/a/b.html';

  it('keeps the allowlist and makes URLs absolute http(s)', () => {
    expect(sanitizeArticleHtml('<h1>T</h1><p class="x" onclick="y()">Hi <a href="c.html" onmouseover="z()">c</a> <a href="mailto:a@b.c">m</a></p>', base))
      .toBe('<h2>T</h2><p>Hi <a href="https://news.example.org/a/c.html">c</a> <a>m</a></p>');
  });

  it('drops scripts, styles, iframes, forms and their text', () => {
    expect(sanitizeArticleHtml('<p>a</p><script>x()</script><style>p{}</style><iframe src="https://e.x"></iframe><form><button>Go</button><textarea>t</textarea></form>', base))
      .toBe('<p>a</p>');
  });

  it('drops video and audio players with their fallback text, which no current browser shows', () => {
    const player = '<video poster="/p.jpg"><source src="/v.mp4" type="video/mp4"><p class="vjs-no-js">To view this video please enable JavaScript</p></video><audio><source src="/a.mp3">Your browser does not support audio</audio>';
    expect(sanitizeArticleHtml(`<p>a</p>${player}`, base)).toBe('<p>a</p>');
    expect(htmlToText(`<p>a</p>${player}`)).toBe('a');
  });

  it('resolves lazy images and drops images without a usable source', () => {
    expect(sanitizeArticleHtml('<img data-lazy-src="/i.png" src="/blank.gif" alt="a"><img src="data:image/png;base64,xx"><img src="javascript:x">', base))
      .toBe('<img src="https://news.example.org/i.png" alt="a" />');
  });
});

describe('sanitizeNodes (the same allowlist, written from the parsed DOM)', () => {
  const base = 'https://news.example.org/a/b.html';
  // One wrapper node, as the extractor passes its kept blocks (joined by newlines) one by one.
  const fromDom = (html: string): string => sanitizeNodes(load(`<div>${html}</div>`, null, false).root()[0]?.children ?? [], base);

  it.each([
    '<h1>T</h1><p class="x" onclick="y()">Hi <a href="c.html" title="" onmouseover="z()">c</a> <a href="mailto:a@b.c" title="mail">m</a></p>',
    '<p>a</p><script>x()</script><style>p{}</style><iframe src="https://e.x"></iframe><form><button>Go</button><textarea>t</textarea><select><option>o</option></select></form><nav>n</nav>',
    '<img data-lazy-src="/i.png" src="/blank.gif" alt=""><img src="data:image/png;base64,xx"><img src="javascript:x"><img src="/p.gif" width="1" height="1"><img src="/x.png" title="" width="" alt="a&quot;b">',
    '<table><tr><th scope="col" class="c">h</th><td colspan="2" onclick="x">1 &lt; 2 &amp; 3 &gt; 0</td></tr></table><ol start="3" type="a"><li>x</li></ol><time datetime="2024-01-02">then</time><abbr title="T">t</abbr>',
    '<div><section><span>kept words</span> <em>em</em> <u>u</u></section></div><!-- comment --><br><hr>',
    '<p>a</p><video><source src="/v.mp4"><p>To view this video please enable JavaScript</p></video><audio>No audio</audio>',
  ])('writes what sanitizeArticleHtml writes for %s', (html) => {
    expect(fromDom(html)).toBe(sanitizeArticleHtml(html, base));
  });

  it('lets nothing executable through for arbitrary mixes of dangerous tags and attributes', () => {
    const tag = fc.constantFrom('script', 'svg', 'style', 'iframe', 'img', 'a', 'p', 'div', 'noscript', 'template', 'form', 'button', 'object', 'textarea', 'xmp', 'title', 'math');
    const attribute = fc.constantFrom('href', 'src', 'onerror', 'style', 'srcset', 'data-src', 'formaction', 'xlink:href');
    const value = fc.constantFrom('javascript:pwn()', ' jAvAsCrIpT:pwn()', '&#106;avascript:pwn()', 'data:text/html,<script>pwn()</script>', 'https://ok.example.test/x.png', 'x" onerror="pwn()', '"><script>pwn()</script>');
    const part = fc.oneof(
      fc.tuple(tag, fc.array(fc.tuple(attribute, value), { maxLength: 3 }), fc.boolean()).map(([name, attributes, close]) =>
        `<${name} ${attributes.map(([key, text]) => `${key}="${text}"`).join(' ')}>${close ? `</${name}>` : ''}`),
      fc.constantFrom('<!--', '-->', '<', '>', '&lt;script&gt;pwn()&lt;/script&gt;', 'text'),
    );
    fc.assert(fc.property(fc.array(part, { maxLength: 20 }), (parts) => {
      const html = fromDom(parts.join(''));
      expect(executableContent(html, html)).toEqual([]);
    }), { numRuns: 300 });
  });
});

describe('htmlToText', () => {
  it('separates blocks by blank lines, keeps line breaks and pre text', () => {
    expect(htmlToText('<h2>Title</h2><p>One  two\nthree</p><p>Line<br>break</p><ul><li>a</li><li>b</li></ul><pre>  x = 1\n  y = 2</pre><p>&amp; end</p>'))
      .toBe('Title\n\nOne two three\n\nLine\nbreak\n\na\n\nb\n\n  x = 1\n  y = 2\n\n& end');
  });

  it('survives deep nesting without recursion', () => {
    expect(htmlToText(`${'<span>'.repeat(5_000)}deep${'</span>'.repeat(5_000)}`)).toBe('deep');
  });
});
