/**
 * Country and sector of the victim, not of every place named. "Russian hackers hit a Japanese bank" is
 * country:jp and sector:finance, not country:ru. Rules:
 * - a sector word counts in a sentence that says something was attacked (VICTIM_WORDS) or in the title;
 * - a country name counts after "in/against/targeting..." in such a sentence;
 * - a country adjective counts before a victim noun ("Japanese bank"), never before an attacker noun.
 */
import type { EntityRecord, PlaceRecord } from './data-format.js';
import { createGazetteer, type Gazetteer, type GazetteerEntry, type GazetteerHit } from './gazetteer.js';
import { startsSentence, type Token } from './tokens.js';

const VICTIM_WORDS = new Set([
  'attack', 'attacks', 'attacked', 'breach', 'breached', 'hit', 'hits', 'targeted', 'targeting', 'targets', 'compromised',
  'hacked', 'ransomware', 'victim', 'victims', 'affected', 'disrupted', 'stolen', 'stole', 'leaked', 'infected', 'exposed',
  'struck', 'intrusion', 'extortion', 'outage', 'cyberattack', 'cyberattacks', 'incident',
]);
const PLACE_PREPOSITIONS = new Set(['in', 'against', 'targeting', 'targeted', 'targets', 'across', 'throughout', 'hit', 'attacked', 'on']);
const PREPOSITION_WINDOW = 3;
const VICTIM_NOUNS = new Set([
  'company', 'companies', 'firm', 'firms', 'government', 'hospital', 'hospitals', 'bank', 'banks', 'agency', 'agencies',
  'ministry', 'organization', 'organizations', 'organisation', 'organisations', 'users', 'businesses', 'entities', 'targets',
  'victims', 'network', 'networks', 'citizens', 'officials', 'retailer', 'telecom', 'university', 'universities', 'military',
  'energy', 'utility', 'defense', 'media', 'customers', 'authorities', 'election', 'infrastructure', 'operator', 'giant',
  'manufacturer', 'city', 'municipality', 'embassy', 'newspaper', 'airline', 'insurer', 'school', 'schools', 'websites',
]);
const ATTACKER_NOUNS = new Set([
  'hackers', 'hacker', 'group', 'groups', 'actor', 'actors', 'threat', 'state', 'apt', 'cybercriminals', 'intelligence',
  'spies', 'operators', 'gang', 'nation', 'sponsored', 'backed', 'attackers', 'cyber', 'military', 'crew', 'criminals',
]);

export type VictimKind = { kind: 'country'; value: string; adjective: boolean } | { kind: 'sector'; value: string };

/** A text with its words and the place/sector hits found in it. */
export interface VictimText {
  text: string;
  tokens: Token[];
  hits: GazetteerHit<VictimKind>[];
}

export interface Victims {
  countries: Map<string, Set<string>>;
  sectors: Map<string, Set<string>>;
}

export interface VictimMatcher {
  /** Country and sector names as gazetteer entries, for a caller that finds them in its own pass. */
  entries: GazetteerEntry<VictimKind>[];
  find(title: string, titleTokens: Token[], body: string, bodyTokens: Token[]): Victims;
  findFromHits(title: VictimText, body: VictimText): Victims;
}

export function createVictimMatcher(countries: PlaceRecord[], sectors: EntityRecord[]): VictimMatcher {
  const entries: GazetteerEntry<VictimKind>[] = [];
  for (const country of countries) {
    for (const alias of country.a) entries.push({ data: { kind: 'country', value: country.v, adjective: false }, alias, caseSensitive: false, needsContext: false });
    // English-word country names ("Turkey", "Chad", "US") only with their capital letters.
    for (const alias of country.w ?? []) entries.push({ data: { kind: 'country', value: country.v, adjective: false }, alias, caseSensitive: true, needsContext: false });
    for (const alias of country.adj ?? []) entries.push({ data: { kind: 'country', value: country.v, adjective: true }, alias, caseSensitive: true, needsContext: false });
  }
  for (const sector of sectors) {
    for (const alias of sector.a) entries.push({ data: { kind: 'sector', value: sector.v }, alias, caseSensitive: false, needsContext: false });
  }
  // Built on first use of find(): the tagger finds these words in its own shared pass.
  let ownGazetteer: Gazetteer<VictimKind> | undefined;
  const gazetteer = (): Gazetteer<VictimKind> => (ownGazetteer ??= createGazetteer(entries));

  const scan = ({ text, tokens, hits }: VictimText, isTitle: boolean, found: Victims): void => {
    // Most articles name no place or sector: skip the sentence bookkeeping then.
    if (hits.length === 0) return;
    // Only the sentences that hold a hit are read, once each, keyed by their first word.
    const victimSentence = new Map<number, boolean>();
    const inVictimSentenceAt = (index: number): boolean => {
      let first = index;
      while (first > 0 && !startsSentence(text, tokens[first] as Token)) first -= 1;
      let known = victimSentence.get(first);
      if (known === undefined) {
        known = false;
        for (let i = first; i < tokens.length && (i === first || !startsSentence(text, tokens[i] as Token)); i += 1) {
          if (VICTIM_WORDS.has((tokens[i] as Token).lower)) {
            known = true;
            break;
          }
        }
        victimSentence.set(first, known);
      }
      return known;
    };
    const add = (map: Map<string, Set<string>>, value: string, surface: string): void => {
      const set = map.get(value) ?? new Set<string>();
      set.add(surface);
      map.set(value, set);
    };
    for (const hit of hits) {
      const data = hit.entry.data;
      if (data.kind === 'sector') {
        if (isTitle || inVictimSentenceAt(hit.from)) add(found.sectors, data.value, hit.surface);
        continue;
      }
      if (data.adjective) {
        const next = tokens[hit.to]?.lower;
        const afterNext = tokens[hit.to + 1]?.lower;
        if (next && VICTIM_NOUNS.has(next) && !(afterNext && ATTACKER_NOUNS.has(afterNext)) && !ATTACKER_NOUNS.has(next)) {
          add(found.countries, data.value, hit.surface);
        }
        continue;
      }
      if (!isTitle && !inVictimSentenceAt(hit.from)) continue;
      for (let i = hit.from - 1; i >= Math.max(0, hit.from - PREPOSITION_WINDOW); i -= 1) {
        if (PLACE_PREPOSITIONS.has((tokens[i] as Token).lower)) {
          add(found.countries, data.value, hit.surface);
          break;
        }
      }
    }
  };

  const findFromHits = (title: VictimText, body: VictimText): Victims => {
    const found: Victims = { countries: new Map(), sectors: new Map() };
    scan(title, true, found);
    scan(body, false, found);
    return found;
  };

  return {
    entries,
    findFromHits,
    find: (title, titleTokens, body, bodyTokens) =>
      findFromHits({ text: title, tokens: titleTokens, hits: gazetteer().find(title, titleTokens) }, { text: body, tokens: bodyTokens, hits: gazetteer().find(body, bodyTokens) }),
  };
}
