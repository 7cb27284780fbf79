import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGazetteer, createLayeredGazetteer, type GazetteerEntry } from './gazetteer.js';
import { findCves } from './cve.js';
import { findIocs } from './ioc.js';
import { tokenize, wordKey } from './tokens.js';

/** The definition the hand-written tokenizer must agree with. */
function regexTokens(text: string): { text: string; lower: string; start: number; end: number }[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((match) => ({
    text: match[0],
    lower: match[0].toLowerCase(),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

describe('tokenize', () => {
  it('finds the same words as /[\\p{L}\\p{N}]+/gu, lower-cased, with word keys', () => {
    const text = 'APT29’s “Cozy Bear” hit Zürich; İstanbul, 東京 and 𝐀𝐁 too — naïve x2 CVE-2024-3400.';
    const tokens = tokenize(text);
    expect(tokens.map(({ lower, start, end }) => ({ text: text.slice(start, end), lower, start, end }))).toEqual(regexTokens(text));
    for (const token of tokens) expect(token.key).toBe(wordKey(token.lower));
  });
  it('agrees with the regex on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const tokens = tokenize(text);
        expect(tokens.map(({ lower, start, end }) => ({ text: text.slice(start, end), lower, start, end }))).toEqual(regexTokens(text));
        for (const token of tokens) expect(token.key).toBe(wordKey(token.lower));
      }),
    );
  });
});

describe('layered gazetteer', () => {
  const entry = <T>(data: T, alias: string): GazetteerEntry<T> => ({ data, alias, caseSensitive: false, needsContext: false });
  it('gives each layer its own longest, non-overlapping matches, as separate passes would', () => {
    const names = [entry('maze', 'Maze'), entry('maze-team', 'Maze team')];
    const cues = [entry('ransomware', 'ransomware'), entry('team', 'team'), entry('maze ransomware', 'Maze ransomware')];
    const text = 'The Maze team ran Maze ransomware.';
    const tokens = tokenize(text);
    const [nameHits, cueHits] = createLayeredGazetteer<[string, string]>([{ entries: names }, { entries: cues }]).find(text, tokens);
    expect(nameHits.map((hit) => hit.entry.data)).toEqual(createGazetteer(names).find(text).map((hit) => hit.entry.data));
    expect(nameHits.map((hit) => [hit.entry.data, hit.surface])).toEqual([
      ['maze-team', 'Maze team'],
      ['maze', 'Maze'],
    ]);
    expect(cueHits.map((hit) => [hit.entry.data, hit.surface])).toEqual([
      ['team', 'team'],
      ['maze ransomware', 'Maze ransomware'],
    ]);
  });
  it('keeps words whose keys collide apart', () => {
    // "buov" and "cecab" share a word key (found by search; the trie must check the word itself).
    expect(wordKey('buov')).toBe(wordKey('cecab'));
    const entries = [entry('first', 'buov'), entry('second', 'cecab gamma')];
    const text = 'cecab, buov, cecab gamma and buov gamma';
    expect(createGazetteer(entries).find(text).map((hit) => [hit.entry.data, hit.surface])).toEqual([
      ['first', 'buov'],
      ['second', 'cecab gamma'],
      ['first', 'buov'],
    ]);
  });
  it('applies strict boundaries only to the layers that ask for them', () => {
    const text = 'See https://example.com/lockbit-news for LockBit.';
    const entries = [entry('lockbit', 'LockBit')];
    const [strict, loose] = createLayeredGazetteer<[string, string]>([{ entries, options: { strictBoundaries: true } }, { entries }]).find(text, tokenize(text));
    expect(strict.map((hit) => hit.surface)).toEqual(['LockBit']);
    expect(loose.map((hit) => hit.surface)).toEqual(['lockbit', 'LockBit']);
  });
});

describe('prefilters', () => {
  it('finds CVEs in any case and nothing without the word', () => {
    expect(findCves('see Cve-2024-3400', new Date('2025-01-01T00:00:00Z')).map((hit) => hit.id)).toEqual(['CVE-2024-3400']);
    expect(findCves('no identifiers here')).toEqual([]);
  });
  it('scans for hashes unless told no word is long enough', () => {
    const text = 'hash 44d88612fea8a8f36de82e1278abb02f seen';
    expect(findIocs(text)).toEqual([{ type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' }]);
    expect(findIocs(text, { longWords: true })).toEqual([{ type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' }]);
    expect(findIocs('short words only', { longWords: false })).toEqual([]);
  });
  it('refangs only texts with a defang mark, and still reads plain e-mail addresses', () => {
    expect(findIocs('mail admin@example.com')).toEqual([{ type: 'email', value: 'admin@example.com' }]);
    expect(findIocs('mail admin[at]example[.]com')).toEqual(expect.arrayContaining([{ type: 'email', value: 'admin@example.com' }]));
  });
});
