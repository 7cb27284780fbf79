import { describe, expect, it } from 'vitest';
import { snippetHtml, STYLESHEET, WEB_CONTENT_SECURITY_POLICY } from './web.js';

describe('snippetHtml', () => {
  it('turns match marks into <mark> and escapes everything else, marks included', () => {
    expect(snippetHtml('…a \u0002Fortinet\u0003 <b>flaw</b> & \u0002"x"\u0003…')).toBe('…a <mark>Fortinet</mark> &lt;b&gt;flaw&lt;/b&gt; &amp; <mark>&quot;x&quot;</mark>…');
    expect(snippetHtml('stray \u0003 mark \u0002<i>')).toBe('stray  mark &lt;i&gt;');
  });
});

describe('the page policy', () => {
  it('allows no script, no inline style and no framing', () => {
    expect(WEB_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(WEB_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(WEB_CONTENT_SECURITY_POLICY).not.toMatch(/script-src|unsafe/);
    expect(STYLESHEET).not.toMatch(/url\(|@import/);
  });
});
