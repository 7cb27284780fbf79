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
import { bandKeys, DEFAULT_MINHASH, estimateJaccard, minhash, type MinHashOptions } from './minhash.js';
import { contentWords, intersection, overlapCoefficient, properNames } from './text.js';

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

export interface StoryTraits {
  date: number;
  titleWords: string[];
  names: string[];
  entities: string[];
  signature: Uint32Array | null;
}

export interface StoryMatch {
  /** Higher is more alike; used to pick the best candidate. */
  score: number;
  reason: 'same-text' | 'entity' | 'names';
  /** The later article is a copy of the earlier. */
  duplicate: boolean;
}

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
    titleWords: contentWords(input.title),
    names: names.sort(),
    entities: [...new Set(entities)].sort(),
    signature: minhash(input.text || input.title, options.minhash),
  };
}

function leadOf(text: string, count: number): string {
  let seen = 0;
  const pattern = /\S+/g;
  let end = text.length;
  for (const match of text.matchAll(pattern)) {
    seen += 1;
    if (seen > count) {
      end = match.index;
      break;
    }
  }
  return text.slice(0, end);
}

/** Index keys under which an article can be found as a candidate: entities, names and MinHash bands. */
export function candidateKeys(traits: StoryTraits, options: StoryOptions = DEFAULT_STORY_OPTIONS): string[] {
  const keys = [...traits.entities.map((e) => `e:${e}`), ...traits.names.map((n) => `n:${n}`)];
  if (traits.signature) keys.push(...bandKeys(traits.signature, options.minhash.bands).map((b) => `b:${b}`));
  return keys;
}

export function withinWindow(a: number, b: number, options: StoryOptions = DEFAULT_STORY_OPTIONS): boolean {
  return Math.abs(a - b) <= options.windowDays * 86_400_000;
}

/** Whether `b` belongs in the story of `a` (symmetric), and how strongly. Null: not the same event. */
export function compareForStory(a: StoryTraits, b: StoryTraits, options: StoryOptions = DEFAULT_STORY_OPTIONS): StoryMatch | null {
  if (!withinWindow(a.date, b.date, options)) return null;
  const jaccard = a.signature && b.signature ? estimateJaccard(a.signature, b.signature) : 0;
  const entities = intersection(a.entities, b.entities).length;
  const names = intersection(a.names, b.names).length;
  const title = overlapCoefficient(a.titleWords, b.titleWords);
  const score = jaccard * 4 + Math.min(entities, 3) + Math.min(names, 4) * 0.5 + title * 2;
  if (jaccard >= options.sameTextJaccard) return { score, reason: 'same-text', duplicate: jaccard >= options.duplicateJaccard };
  if (entities >= 1 && (title >= 0.25 || names >= 2 || (names >= 1 && entities >= 2) || jaccard >= 0.1)) return { score, reason: 'entity', duplicate: false };
  if (names >= 2 && (title >= 0.2 || names >= 3)) return { score, reason: 'names', duplicate: false };
  return null;
}
