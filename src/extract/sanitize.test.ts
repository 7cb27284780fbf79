import { describe, expect, it } from 'vitest';
import { sanitizeArticleHtml } from './sanitize.js';
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

  it('resolves lazy images and drops images without a usable source', () => {
    expect(sanitizeArticleHtml('<img data-lazy-src="/i.png" src="/blank.gif" alt="a"><img src="data:image/png;base64,xx"><img src="javascript:x">', base))
      .toBe('<img src="https://news.example.org/i.png" alt="a" />');
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
