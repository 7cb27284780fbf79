/**
 * Are two articles about the same event? Pure decision over a few traits of each article; the store finds
 * the candidates through an index of `candidateKeys` and calls `compareForStory` on each.
 *
 * Evidence, strongest first:
 * - near-identical text (MinHash over 3-word shingles): a syndicated copy or repost;
 * - a shared specific entity (CVE ID, actor, malware family, product) plus some textual agreement;
 * - shared proper names (the victim "Kiyohara Electric", "Meridian Health") in headline and lead.
 * Generic entities (vendors, incident types, sectors, countries) never count on their own: "Microsoft" or
 * "ransomware" are in the news every day.
 */
import { stemmer } from 'stemmer';
import { SecwireError } from '../errors.js';
import { bandHashes, DEFAULT_MINHASH, estimateJaccard, fnv1a, minhash, type MinHashOptions } from './minhash.js';
import { contentWords, properNames } from './text.js';

export interface StoryOptions {
  /** Articles further apart than this never share a story (same CVE, advisory vs exploitation a month later). */
  windowDays: number;
  /** Estimated Jaccard of body shingles from which two texts are the same story whatever else they say. */
  sameTextJaccard: number;
  /** Estimated Jaccard from which the later article is a copy of the earlier (one article, several URLs). */
  duplicateJaccard: number;
  /** Words of the body, after the title, in which proper names count. */
  leadWords: number;
  minhash: MinHashOptions;
}

export const DEFAULT_STORY_OPTIONS: StoryOptions = {
  windowDays: 7,
  sameTextJaccard: 0.5,
  duplicateJaccard: 0.8,
  leadWords: 80,
  minhash: DEFAULT_MINHASH,
};

/** Tag types specific enough to tie two articles to one event (with some textual agreement). */
const SPECIFIC_TAG_TYPES = new Set(['cve', 'actor', 'malware', 'product']);
/** Tag types whose values are not names of the event: their words are dropped from the proper names. */
const GENERIC_TAG_TYPES = new Set(['vendor', 'product', 'country', 'sector', 'incident', 'source', 'technique', 'kev']);

export interface StoryInput {
  title: string;
  text: string;
  /** Tag slugs (`type:value`). */
  tags: readonly string[];
  /** Publication (or first-seen) instant, ms since the epoch. */
  date: number;
}

/**
 * What clustering keeps of an article. Words, names and entities are 32-bit FNV-1a hashes, sorted and unique:
 * comparing two articles is a merge of integer arrays, and the traits are stored as one small BLOB (a chance
 * collision of two words' hashes in one comparison is about 1 in 10 million and adds one shared word).
 */
export interface StoryTraits {
  date: number;
  titleWords: Uint32Array;
  names: Uint32Array;
  entities: Uint32Array;
  signature: Uint16Array | null;
}

export interface StoryMatch {
  /** Higher is more alike; used to pick the best candidate. */
  score: number;
  reason: 'same-text' | 'entity' | 'names';
  /** The later article is a copy of the earlier. */
  duplicate: boolean;
  /**
   * Evidence that would stand on its own in a newsroom: near-identical text, or a specific entity together with
   * several shared names or most of the headline. Only strong matches may bridge two stories into one.
   */
  strong: boolean;
}

const hashSet = (values: Iterable<string>): Uint32Array => Uint32Array.from(new Set([...values].map(fnv1a))).sort();

export function storyTraits(input: StoryInput, options: StoryOptions = DEFAULT_STORY_OPTIONS): StoryTraits {
  const entities = input.tags.filter((slug) => SPECIFIC_TAG_TYPES.has(slug.slice(0, slug.indexOf(':'))));
  const excluded = new Set<string>();
  for (const slug of input.tags) {
    const type = slug.slice(0, slug.indexOf(':'));
    if (!GENERIC_TAG_TYPES.has(type) && !SPECIFIC_TAG_TYPES.has(type)) continue;
    for (const part of slug.slice(type.length + 1).split(/[-_.]/)) excluded.add(part.toLowerCase());
  }
  const lead = leadOf(input.text, options.leadWords);
  const names = properNames(`${input.title}\n${lead}`).filter((name) => !excluded.has(name));
  return {
    date: input.date,
    // Stems, so that headlines about one event agree across inflections ("banking" / "banks", "exploited" /
    // "exploitation"); Porter's rules only ever strip English suffixes, other languages' words mostly pass unchanged.
    titleWords: hashSet(contentWords(input.title).map((word) => stemmer(word))),
    names: hashSet(names),
    entities: hashSet(entities),
    signature: minhash(input.text || input.title, options.minhash),
  };
}

function leadOf(text: string, count: number): string {
  const pattern = /\S+/g;
  for (let seen = 0; pattern.exec(text) !== null; ) {
    seen += 1;
    if (seen === count) return text.slice(0, pattern.lastIndex);
  }
  return text;
}

/** Kinds of index key, in the bits above the 32-bit hash: keys are exact integers (below 2^53). */
const KEY_ENTITY = 1;
const KEY_NAME = 2;
const KEY_BAND = 3;
const HIGH = 2 ** 32;

/** Index keys under which an article can be found as a candidate: entities, names and MinHash bands. */
export function candidateKeys(traits: StoryTraits, options: StoryOptions = DEFAULT_STORY_OPTIONS): number[] {
  const keys: number[] = [];
  for (const hash of traits.entities) keys.push(KEY_ENTITY * HIGH + hash);
  for (const hash of traits.names) keys.push(KEY_NAME * HIGH + hash);
  if (traits.signature) bandHashes(traits.signature, options.minhash.bands, options.minhash.rows).forEach((hash, band) => keys.push((KEY_BAND + band) * HIGH + hash));
  return keys;
}

export function withinWindow(a: number, b: number, options: StoryOptions = DEFAULT_STORY_OPTIONS): boolean {
  return Math.abs(a - b) <= options.windowDays * 86_400_000;
}

/** Size of the intersection of two sorted arrays without repeats. */
function shared(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      count += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return count;
}

/** Whether `b` belongs in the story of `a` (symmetric), and how strongly. Null: not the same event. */
export function compareForStory(a: StoryTraits, b: StoryTraits, options: StoryOptions = DEFAULT_STORY_OPTIONS): StoryMatch | null {
  if (!withinWindow(a.date, b.date, options)) return null;
  const jaccard = a.signature && b.signature ? estimateJaccard(a.signature, b.signature) : 0;
  const entities = shared(a.entities, b.entities);
  const names = shared(a.names, b.names);
  // |A ∩ B| / min(|A|, |B|): headlines of different lengths about one event still score high.
  const shortest = Math.min(a.titleWords.length, b.titleWords.length);
  const title = shortest === 0 ? 0 : shared(a.titleWords, b.titleWords) / shortest;
  const score = jaccard * 4 + Math.min(entities, 3) + Math.min(names, 4) * 0.5 + title * 2;
  const strong = jaccard >= options.sameTextJaccard || (entities >= 1 && (names >= 2 || title >= 0.5)) || (names >= 3 && title >= 0.4);
  if (jaccard >= options.sameTextJaccard) return { score, reason: 'same-text', duplicate: jaccard >= options.duplicateJaccard, strong };
  if (entities >= 1 && (title >= 0.25 || names >= 2 || (names >= 1 && entities >= 2) || jaccard >= 0.1)) return { score, reason: 'entity', duplicate: false, strong };
  if (names >= 2 && (title >= 0.2 || names >= 3)) return { score, reason: 'names', duplicate: false, strong };
  return null;
}

/**
 * Traits as stored (one BLOB per article): float64 date, four uint32 counts (title words, names, entities,
 * signature length), the hashes, then the uint16 signature. Every view is aligned to its element size.
 */
export function encodeTraits(traits: StoryTraits): Uint8Array {
  const hashes = traits.titleWords.length + traits.names.length + traits.entities.length;
  const signature = traits.signature?.length ?? 0;
  const buffer = new ArrayBuffer(24 + 4 * hashes + 2 * signature);
  new Float64Array(buffer, 0, 1)[0] = traits.date;
  new Uint32Array(buffer, 8, 4).set([traits.titleWords.length, traits.names.length, traits.entities.length, signature]);
  const body = new Uint32Array(buffer, 24, hashes);
  body.set(traits.titleWords, 0);
  body.set(traits.names, traits.titleWords.length);
  body.set(traits.entities, traits.titleWords.length + traits.names.length);
  if (traits.signature) new Uint16Array(buffer, 24 + 4 * hashes, signature).set(traits.signature);
  return new Uint8Array(buffer);
}

export function decodeTraits(bytes: Uint8Array): StoryTraits {
  // A copy: the bytes SQLite hands over may start at any offset, the typed views need alignment.
  if (bytes.length < 24) throw new SecwireError('StoreError', `stored story traits are ${bytes.length} bytes, shorter than their header`);
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  const [titles, names, entities, signature] = new Uint32Array(buffer, 8, 4) as unknown as [number, number, number, number];
  const hashes = titles + names + entities;
  if (bytes.length !== 24 + 4 * hashes + 2 * signature) throw new SecwireError('StoreError', `stored story traits are ${bytes.length} bytes, their header says ${24 + 4 * hashes + 2 * signature}`);
  return {
    date: new Float64Array(buffer, 0, 1)[0]!,
    titleWords: new Uint32Array(buffer, 24, titles),
    names: new Uint32Array(buffer, 24 + 4 * titles, names),
    entities: new Uint32Array(buffer, 24 + 4 * (titles + names), entities),
    signature: signature === 0 ? null : new Uint16Array(buffer, 24 + 4 * hashes, signature),
  };
}
