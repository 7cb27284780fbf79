/**
 * MinHash over word shingles, and LSH band keys to find near-duplicate texts through an index instead of
 * comparing with everything. Hand-rolled: it is forty lines, and the signature layout is stored in the
 * database, so it must not change with a dependency's version.
 */
import { words } from './text.js';

export interface MinHashOptions {
  /** Words per shingle. */
  shingle: number;
  /** Number of hash functions (signature length); must equal bands * rows. */
  hashes: number;
  bands: number;
}

export const DEFAULT_MINHASH: MinHashOptions = { shingle: 3, hashes: 64, bands: 16 };

/** 32-bit FNV-1a: fast, stable across platforms and releases. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A 32-bit mixer (murmur3 finaliser) seeded per hash function: a cheap family of independent-enough hashes. */
function mix(value: number, seed: number): number {
  let h = (value ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function shingleHashes(text: string, size: number): number[] {
  const list = words(text);
  if (list.length === 0) return [];
  if (list.length < size) return [fnv1a(list.join(' '))];
  const out = new Set<number>();
  for (let i = 0; i + size <= list.length; i += 1) out.add(fnv1a(list.slice(i, i + size).join(' ')));
  return [...out];
}

/** The signature of a text, or null when it has no words (empty texts are never near-duplicates). */
export function minhash(text: string, options: MinHashOptions = DEFAULT_MINHASH): Uint32Array | null {
  const shingles = shingleHashes(text, options.shingle);
  if (shingles.length === 0) return null;
  const signature = new Uint32Array(options.hashes).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let i = 0; i < options.hashes; i += 1) {
      const value = mix(shingle, i + 1);
      if (value < signature[i]!) signature[i] = value;
    }
  }
  return signature;
}

/** Estimated Jaccard similarity of the two shingle sets. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i += 1) if (a[i] === b[i]) equal += 1;
  return equal / a.length;
}

/**
 * LSH band keys: two texts share at least one key with probability 1 - (1 - J^rows)^bands. With 16 bands of
 * 4 rows that is 0.98 at J = 0.6 and 0.05 at J = 0.2.
 */
export function bandKeys(signature: Uint32Array, bands: number): string[] {
  const rows = Math.floor(signature.length / bands);
  const keys: string[] = [];
  for (let band = 0; band < bands; band += 1) {
    let hash = 0x811c9dc5 ^ band;
    for (let r = 0; r < rows; r += 1) hash = Math.imul(hash ^ signature[band * rows + r]!, 0x01000193);
    keys.push(`${band}.${(hash >>> 0).toString(36)}`);
  }
  return keys;
}

export function encodeSignature(signature: Uint32Array): string {
  return Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64');
}

export function decodeSignature(text: string): Uint32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Uint32Array(copy.buffer, 0, Math.floor(copy.length / 4));
}
