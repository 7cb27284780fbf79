import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prescanDepthExceeds } from './prescan.js';

const VOID_OR_OPTIONAL_END = new Set(['br', 'img', 'p', 'li', 'td', 'html', 'head', 'body', 'meta']);

/** The regex reading the scanner replaced: the reference it must agree with. */
function regexDepth(html: string): number {
  const tag = /<(\/?)([a-zA-Z][\w:-]*)[^>]*>/g;
  let depth = 0;
  let deepest = 0;
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    const name = (match[2] ?? '').toLowerCase();
    if (VOID_OR_OPTIONAL_END.has(name) || match[0].endsWith('/>')) continue;
    if (match[1]) depth = Math.max(0, depth - 1);
    else deepest = Math.max(deepest, ++depth);
  }
  return deepest;
}

describe('prescanDepthExceeds', () => {
  it('refuses runaway nesting and accepts pages within the limit', () => {
    expect(prescanDepthExceeds('<div>'.repeat(100_000), 2048)).toBe(true);
    expect(prescanDepthExceeds(`${'<div>'.repeat(100)}text${'</div>'.repeat(100)}`.repeat(50), 2048)).toBe(false);
    expect(prescanDepthExceeds('<br><br><img src="a"><p>'.repeat(5000), 10)).toBe(false);
    expect(prescanDepthExceeds('<span/>'.repeat(5000), 10)).toBe(false);
  });

  it('reads tags as the regex /<(\\/?)([a-zA-Z][\\w:-]*)[^>]*>/ reads them', () => {
    const piece = fc.constantFrom('<div>', '</div>', '<DIV class="a">', '<a href="x>y">', '<br>', '<p>', '</p>', '<x:y/>', '< div>', '</ div>', '<//a>', '<1a>', '<a', '>', '</', '<!-- c -->', '<span\n>', 'text', '<ns-el>', '</ns-el>', '<_a>');
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 0, max: 8 }), (pieces, limit) => {
      const html = pieces.join('');
      expect(prescanDepthExceeds(html, limit)).toBe(regexDepth(html) > limit);
    }), { numRuns: 2000 });
  });
});
