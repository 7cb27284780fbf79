import { describe, expect, it } from 'vitest';
import { changeRatio, compareForStory, contentWords, decodeTraits, encodeTraits, estimateJaccard, fnv1a, minhash, properNames, storyTraits, wordHashes, words, type StoryInput } from './index.js';

const day = 86_400_000;
const base = Date.parse('2027-03-02T09:00:00Z');

function traits(input: Partial<StoryInput>) {
  return storyTraits({ title: '', text: '', tags: [], date: base, ...input });
}

describe('minhash', () => {
  const text = 'Brightmoor Labs today published its 2027 Phishing Benchmark based on 48 million simulated phishing emails sent to employees at 3,100 organisations';
  it('gives identical texts the same signature and unrelated texts a low estimate', () => {
    expect(estimateJaccard(minhash(text)!, minhash(text)!)).toBe(1);
    const other = minhash('Ferry operator cancels bookings after reservation servers were encrypted by a ransomware gang on Monday')!;
    expect(estimateJaccard(minhash(text)!, other)).toBeLessThan(0.1);
  });
  it('has no signature for a text without words', () => {
    expect(minhash('  ... ')).toBeNull();
  });
  it('estimates the Jaccard similarity of shingle sets within a few points', () => {
    // Texts of 200 distinct words sharing a prefix: the 3-word shingle sets overlap by a known share.
    const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i}x${(i * 7919) % 1000}`);
    for (const sharedWords of [40, 100, 160, 200]) {
      const a = vocabulary.slice(0, 200);
      const b = [...vocabulary.slice(0, sharedWords), ...vocabulary.slice(200, 400 - sharedWords)];
      const sharedShingles = Math.max(0, sharedWords - 2);
      const truth = sharedShingles / (198 + 198 - sharedShingles);
      expect(Math.abs(estimateJaccard(minhash(a.join(' '))!, minhash(b.join(' '))!) - truth)).toBeLessThan(0.15);
    }
  });
  it('hashes the same words as words() gives, possessives and punctuation included', () => {
    for (const text of ["Kiyohara's ISP said: the Osaka-based co. (ok) ... e.g. -x- 2027", 'Écoles de Genève, 東京 und Straße’s Büro', 'emoji 😀 a😀b']) {
      expect([...wordHashes(text)]).toEqual(words(text).map((word) => fnv1a(word) | 0));
    }
  });
});

describe('stored traits', () => {
  it('round-trip through the binary encoding', () => {
    const traits = storyTraits({ title: 'Kiyohara Electric confirms breach', text: 'Kiyohara Electric, the Osaka-based maker, said on Monday that CVE-2027-1111 was used.', tags: ['cve:CVE-2027-1111', 'vendor:kiyohara'], date: Date.parse('2027-03-02T09:00:00.123Z') });
    const decoded = decodeTraits(Buffer.concat([Buffer.from([1]), Buffer.from(encodeTraits(traits))]).subarray(1));
    expect(decoded).toEqual(traits);
    expect(traits.entities.length).toBe(1);
    expect(traits.names.length).toBeGreaterThan(2);
  });
  it('refuses bytes whose length does not match their header', () => {
    const bytes = encodeTraits(storyTraits({ title: 'Short', text: 'A short text here', tags: [], date: 0 }));
    expect(() => decodeTraits(bytes.subarray(0, bytes.length - 2))).toThrow(/bytes, their header says/);
    expect(() => decodeTraits(new Uint8Array(3))).toThrow(/shorter than their header/);
  });
});

describe('text features', () => {
  it('finds proper names and runs of them, not sentence-initial words or news vocabulary', () => {
    const names = properNames('Attackers hit Kiyohara Electric, the Osaka-based maker, on Monday. Exploited flaws were patched.');
    expect(names).toEqual(expect.arrayContaining(['kiyohara', 'electric', 'kiyohara electric', 'osaka']));
    expect(names).not.toContain('attackers');
    expect(names).not.toContain('monday');
    expect(names).not.toContain('exploited');
  });
  it('takes no names from a Title Case Headline', () => {
    expect(properNames('Hackers Exploit Critical Flaw To Breach Servers')).toEqual([]);
  });
  it('drops function words and security vocabulary from headline words', () => {
    expect(contentWords('Hackers exploit the Quarrystone Transfer flaw')).toEqual(['quarrystone', 'transfer']);
  });
  it('measures how much of a text changed', () => {
    const text = 'one two three four five six seven eight nine ten '.repeat(10);
    expect(changeRatio(text, text)).toBe(0);
    expect(changeRatio(text, text.replace('three', 'thre'))).toBeCloseTo(0.02, 5);
    expect(changeRatio('a b c', 'd e f')).toBe(1);
  });
});

describe('compareForStory', () => {
  it('merges near-identical texts and marks the copy', () => {
    const text = 'The average click rate fell to 4.1 percent from 5.3 percent a year earlier, while the share of employees who reported a simulated phish rose to 31 percent.';
    const match = compareForStory(traits({ title: 'Report A', text }), traits({ title: 'Press release', text }));
    expect(match).toMatchObject({ reason: 'same-text', duplicate: true });
  });
  it('merges a shared CVE with agreeing headlines', () => {
    const a = traits({ title: 'Quarrystone fixes critical file transfer flaw', tags: ['cve:CVE-2027-31001', 'vendor:quarrystone'] });
    const b = traits({ title: 'Critical authentication bypass in Quarrystone Transfer patched', tags: ['cve:CVE-2027-31001'], date: base + day });
    expect(compareForStory(a, b)).toMatchObject({ reason: 'entity' });
  });
  it('reads headline words by their stems: an actor plus "banking" / "banks" agree, the bare actor does not', () => {
    const a = traits({ title: 'Outages disrupt online banking across Valdmark', tags: ['actor:stormcaller'] });
    const b = traits({ title: 'Stormcaller claims floods against Valdmark banks', tags: ['actor:stormcaller'], date: base + day / 4 });
    expect(compareForStory(a, b)).toMatchObject({ reason: 'entity' });
    const unrelated = traits({ title: 'Stormcaller claims attack on a ministry portal', tags: ['actor:stormcaller'], date: base + day / 4 });
    expect(compareForStory(a, unrelated)).toBeNull();
  });
  it('never merges the same CVE a month apart', () => {
    const a = traits({ title: 'Quarrystone fixes Transfer flaw', tags: ['cve:CVE-2027-31001'] });
    const b = traits({ title: 'Quarrystone Transfer flaw mass exploited', tags: ['cve:CVE-2027-31001'], date: base + 33 * day });
    expect(compareForStory(a, b)).toBeNull();
  });
  it('never merges on a generic vendor or incident type alone', () => {
    const a = traits({ title: 'Microsoft warns of consent phishing against Teams', tags: ['vendor:microsoft', 'incident:phishing'] });
    const b = traits({ title: 'Microsoft ships fix for Exchange mail flow bug', tags: ['vendor:microsoft', 'incident:phishing'], date: base + day });
    expect(compareForStory(a, b)).toBeNull();
  });
  it('merges a victim named in both leads under different headlines', () => {
    const a = traits({ title: 'Bank confirms breach of loan records', text: 'The lender, Orchard Mutual Bank, said an intruder copied files. Orchard Mutual hired Halcyon Forensics.' });
    const b = traits({ title: 'Hackers stole files from a Midwest lender', text: 'A regional lender, Orchard Mutual Bank, disclosed that attackers reached a server.', date: base + day });
    expect(compareForStory(a, b)).toMatchObject({ reason: 'names' });
  });
});
