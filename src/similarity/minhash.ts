/**
 * MinHash over word shingles, and LSH band keys to find near-duplicate texts through an index instead of
 * comparing with everything. Hand-rolled: it is a few dozen lines, and the signature layout is stored in the
 * database, so it must not change with a dependency's version.
 *
 * Cost: each word is hashed once, a shingle's hash combines its words' hashes (no substrings), and each of the
 * `hashes` permutations is one multiply and a shift over a typed array: ~0.05 ms for a 3 KB article.
 */
import { SecwireError } from '../errors.js';
import { wordHashes } from './text.js';

export interface MinHashOptions {
  /** Words per shingle. */
  shingle: number;
  /** Number of hash functions (signature length): more estimate Jaccard more precisely. */
  hashes: number;
  /** LSH bands (index keys per article) of `rows` hashes each, taken from the front; bands * rows <= hashes. */
  bands: number;
  rows: number;
}

/**
 * 64 hashes: the estimate of J = 0.5 is within ±0.06 (one standard deviation). 8 bands of 4 rows find a pair as
 * a candidate with probability 0.98 at J = 0.8 (copies), 0.67 at J = 0.6, 0.01 at J = 0.2: half the index
 * keys of 16 bands, and copies or rewrites in 0.5..0.8 also share their names and entities, which are keys too.
 */
export const DEFAULT_MINHASH: MinHashOptions = { shingle: 3, hashes: 64, bands: 8, rows: 4 };

/** 32-bit FNV-1a: fast, stable across platforms and releases. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Per-permutation constants, derived once from the index: (x ^ xor) * odd multiplier, then a shift. */
const permutations = new Map<number, { xor: Int32Array; multiply: Int32Array }>();
function permutationsFor(count: number): { xor: Int32Array; multiply: Int32Array } {
  let table = permutations.get(count);
  if (!table) {
    table = { xor: new Int32Array(count), multiply: new Int32Array(count) };
    for (let i = 0; i < count; i += 1) {
      table.xor[i] = fmix32(Math.imul(i + 1, 0x9e3779b1));
      table.multiply[i] = fmix32(Math.imul(i + 1, 0x632be5ab) ^ 0x5bd1e995) | 1;
    }
    permutations.set(count, table);
  }
  return table;
}

/** One 32-bit hash per shingle of `size` consecutive words (a text shorter than that is one shingle), as int32. */
export function shingleHashes(text: string, size: number): Int32Array {
  const hashes = wordHashes(text);
  if (hashes.length === 0) return new Int32Array(0);
  const count = Math.max(1, hashes.length - size + 1);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i += 1) {
    let h = 0x811c9dc5 | 0;
    const end = Math.min(hashes.length, i + size);
    // Position-dependent multipliers: "a b c" and "c b a" are different shingles.
    for (let j = i; j < end; j += 1) h = Math.imul(h ^ hashes[j]!, 0x01000193 + 2 * (j - i));
    out[i] = fmix32(h) | 0;
  }
  return out;
}

/** Flipping the sign bit maps unsigned order onto signed order: the loops stay in int32 (no boxed doubles). */
const SIGN = 0x80000000 | 0;

/**
 * The signature of a text (the high 16 bits of each permutation's minimum: b-bit MinHash, half the storage,
 * a 1/65536 chance that two different minima agree), or null when it has no words.
 */
export function minhash(text: string, options: MinHashOptions = DEFAULT_MINHASH): Uint16Array | null {
  const shingles = shingleHashes(text, options.shingle);
  if (shingles.length === 0) return null;
  const { xor, multiply } = permutationsFor(options.hashes);
  const signature = new Uint16Array(options.hashes);
  for (let i = 0; i < options.hashes; i += 1) {
    const x = xor[i]!;
    const m = multiply[i]!;
    let min = 0x7fffffff;
    for (let s = 0; s < shingles.length; s += 1) {
      let v = Math.imul(shingles[s]! ^ x, m);
      v = (v ^ (v >>> 15)) ^ SIGN;
      if (v < min) min = v;
    }
    signature[i] = ((min ^ SIGN) >>> 16) & 0xffff;
  }
  return signature;
}

/** Estimated Jaccard similarity of the two shingle sets. */
export function estimateJaccard(a: Uint16Array, b: Uint16Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i += 1) if (a[i] === b[i]) equal += 1;
  return equal / a.length;
}

/** LSH band hashes: two texts share at least one with probability 1 - (1 - J^rows)^bands. Band `i`'s hash is element `i`. */
export function bandHashes(signature: Uint16Array, bands: number, rows: number): Uint32Array {
  if (bands * rows > signature.length) throw new SecwireError('ConfigError', `${bands} bands of ${rows} rows need ${bands * rows} hashes, the signature has ${signature.length}`);
  const out = new Uint32Array(bands);
  for (let band = 0; band < bands; band += 1) {
    let hash = 0x811c9dc5 ^ band;
    for (let r = 0; r < rows; r += 1) hash = Math.imul(hash ^ signature[band * rows + r]!, 0x01000193);
    out[band] = fmix32(hash);
  }
  return out;
}
