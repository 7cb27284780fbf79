/**
 * Deterministic pseudo-text so every run serves the same bytes. Mostly invented words from a vocabulary of a
 * few thousand, so generated articles read as distinct stories (near-identical ones would be merged as
 * duplicates, which is not what an ingest benchmark should measure).
 */
const COMMON_WORDS = 'the a of to and in for on with attackers patched vulnerability ransomware vendor advisory exploited researchers said'.split(' ');
const SYLLABLES = 'ba ce di fo gu ka le mi no pu ra se ti vo zu the quo lan'.split(' ');

export type Random = (modulo: number) => number;

export function seededRandom(seed: number): Random {
  // 32-bit integer arithmetic (Math.imul): the floating-point form lost bits past 2^53 and fell into short cycles,
  // so generated archives repeated the same words, tags and dates every few dozen articles.
  let state = (Math.imul(seed, 2654435761) + 1) >>> 0;
  return (modulo) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 16) % modulo;
  };
}

/** Invented words built once: drawing from a fixed list is several times faster than building words per call. */
const VOCABULARY = (() => {
  const next = seededRandom(2026);
  return Array.from({ length: 6000 }, () => Array.from({ length: 2 + next(2) }, () => SYLLABLES[next(SYLLABLES.length)] ?? 'ba').join(''));
})();

export function prose(seed: number, bytes: number): string {
  const next = seededRandom(seed);
  let text = '';
  while (text.length < bytes) {
    text += next(3) === 0 ? (COMMON_WORDS[next(COMMON_WORDS.length)] ?? 'the') : (VOCABULARY[next(VOCABULARY.length)] ?? 'ba');
    text += ' ';
  }
  return text.trimEnd();
}

/** `count` distinct pseudo-words: word i spells i in base `syllables.length` with the syllables as digits. */
export function pseudoLexicon(syllables: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    let n = i;
    let word = '';
    do {
      word += syllables[n % syllables.length];
      n = Math.floor(n / syllables.length);
    } while (n > 0);
    return word;
  });
}
