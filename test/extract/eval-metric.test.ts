import { describe, expect, it } from 'vitest';
import { shingleScores, titleKey, words } from '../../scripts/eval-extract.js';

describe('eval:extract metric', () => {
  it('cuts Japanese and Chinese runs into words, leaves spaced scripts as they are', () => {
    expect(words('東京都は新しい計画を発表した')).toEqual(expect.arrayContaining(['新しい', '計画', '発表']));
    expect(words('東京都は新しい計画を発表した').length).toBeGreaterThan(4);
    expect(words('Der Plan, das Ende')).toEqual(['der', 'plan', 'das', 'ende']);
    expect(words('한국 정부는 발표했다')).toEqual(['한국', '정부는', '발표했다']);
  });

  it('scores a Japanese text with one clause changed by the words that differ, not as a total miss', () => {
    const expected = '政府は来年度の予算案を閣議決定した。防衛費は過去最大となり、社会保障費も増えた。';
    const got = '政府は来年度の予算案を閣議決定した。防衛費は過去最大となった。';
    const { precision, recall } = shingleScores(got, expected);
    expect(precision).toBeGreaterThan(0.5);
    expect(recall).toBeGreaterThan(0.3);
    expect(recall).toBeLessThan(1);
  });

  it('compares titles after NFKC, whitespace, invisible format characters and quote glyphs only', () => {
    expect(titleKey('宇航员在太空中喝酒会怎么样？后果很严重')).toBe(titleKey('宇航员在太空中喝酒会怎么样?后果很严重'));
    expect(titleKey('  A\u00a0title \n here ')).toBe('A title here');
    expect(titleKey('It’s “done”')).toBe(titleKey('It\'s "done"'));
    expect(titleKey('Ein bisschen Fortschritt\u200b')).toBe('Ein bisschen Fortschritt');
    expect(titleKey('It is')).not.toBe(titleKey('It’s'));
    expect(titleKey('Acme: a breach')).not.toBe(titleKey('Acme - a breach'));
  });
});
