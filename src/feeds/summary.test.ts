import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SUMMARY_CHARS, summarize } from './summary.js';

describe('summarize', () => {
  it('keeps short text whole, whitespace collapsed, no ellipsis', () => {
    expect(summarize('  Ivanti   patches\n\nConnect Secure. ')).toBe('Ivanti patches Connect Secure.');
  });

  it('cuts long text between words at about 300 chars and ends with …', () => {
    const text = 'Attackers exploited a critical flaw in the VPN appliance, security researchers said on Tuesday. '.repeat(10);
    const summary = summarize(text);
    expect(summary.length).toBeLessThanOrEqual(DEFAULT_SUMMARY_CHARS);
    expect(summary.length).toBeGreaterThan(DEFAULT_SUMMARY_CHARS - 30);
    expect(summary.endsWith('…')).toBe(true);
    const words = summary.slice(0, -1).split(' ');
    for (const word of words) expect(text).toMatch(new RegExp(`(^| )${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(text.startsWith(summary.slice(0, -1))).toBe(true);
  });

  it('does not leave dangling punctuation before the ellipsis', () => {
    expect(summarize('one, two, three, four, five', 12)).toBe('one, two…');
  });

  it('honours maxChars', () => {
    expect(summarize('alpha beta gamma delta', 14)).toBe('alpha beta…');
  });

  it('cuts text without spaces (Japanese) between words, not mid-word', () => {
    const text = '日本の病院がランサムウェア攻撃を受け、患者の個人情報が流出した可能性があると発表しました。'.repeat(3);
    const summary = summarize(text, 20);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(20);
    expect(text.startsWith(summary.slice(0, -1))).toBe(true);
  });

  it('cuts inside a single word longer than the limit without splitting a surrogate pair', () => {
    expect(summarize(`Token ${'a'.repeat(400)}`, 30)).toBe('Token…');
    expect(summarize('a'.repeat(400), 30)).toBe(`${'a'.repeat(29)}…`);
    const emoji = summarize('🔐'.repeat(20), 6);
    expect(emoji.endsWith('…')).toBe(true);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('property: never longer than maxChars, always a prefix of the collapsed text (plus …)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.integer({ min: 2, max: 400 }), (text, max) => {
        const collapsed = text.replace(/\s+/g, ' ').trim();
        const summary = summarize(text, max);
        expect(summary.length).toBeLessThanOrEqual(Math.max(max, 2));
        if (collapsed.length <= max) expect(summary).toBe(collapsed);
        else {
          expect(summary.endsWith('…')).toBe(true);
          expect(collapsed.startsWith(summary.slice(0, -1))).toBe(true);
        }
      }),
    );
  });

  it('property: a long text gives the summary of its whole collapsed text, though only its head is read', () => {
    const reference = (text: string, max: number): string => {
      const normalized = text.replace(/\s+/g, ' ').trim();
      if (normalized.length <= max) return normalized;
      const budget = Math.max(1, max - 1);
      let end = 0;
      for (const { segment, index } of new Intl.Segmenter(undefined, { granularity: 'word' }).segment(normalized)) {
        if (index + segment.length > budget) break;
        end = index + segment.length;
      }
      const head = end > 0 ? normalized.slice(0, end) : normalized.slice(0, budget).replace(/[\uD800-\uDBFF]$/, '');
      return `${head.replace(/[\s,;:.!?\-–—(\["'«“‘]+$/u, '')}…`;
    };
    const word = fc.oneof(fc.constantFrom('alpha', 'CVE-2026-1234', 'http://x.example/a?b=c', '日本の病院', ' ', '\n\n', '   \t ', ',', '.'), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(word, { minLength: 100, maxLength: 1500 }), fc.integer({ min: 2, max: 120 }), (words, max) => {
        const text = words.join('');
        expect(summarize(text, max)).toBe(reference(text, max));
      }),
      { numRuns: 300 },
    );
  });
});

