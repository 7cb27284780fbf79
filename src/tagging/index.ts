/**
 * The tagger: CVE/KEV, ATT&CK techniques, names (actors, malware, vendors, products), incident types,
 * victim sectors and countries, and IoCs, for one article at a time. Data is loaded and the matchers are
 * built once per tagger.
 */
import type { Logger } from '../log.js';
import { silentLogger } from '../log.js';
import { TAG_TYPES, type Tag, type TagInput, type TagResult, type TagType } from '../types.js';
import { findCves } from './cve.js';
import { loadTagData, defaultDataDir } from './data.js';
import type { EntityRecord } from './data-format.js';
import { createLayeredGazetteer, type GazetteerEntry, type GazetteerHit } from './gazetteer.js';
import { findAttackIds } from './attack-id.js';
import { articleTextFromHtml } from './html.js';
import { createIncidentClassifier, INCIDENT_NAMES, type Cue } from './incident.js';
import { findIocs, SHORTEST_HASH } from './ioc.js';
import { parseTagSlug, slugify, tagLabel } from './slug.js';
import { findTechniques } from './technique.js';
import { nameTokens, tokenize, type Token } from './tokens.js';
import { createVictimMatcher, type VictimKind } from './victim.js';

export { compileWatchlist, type WatchlistConfig } from './watchlist.js';
export { normaliseTagSlug, parseTagSlug, tagLabel } from './slug.js';

export interface Tagger {
  tag(input: TagInput, options?: { forcedTags?: string[] }): TagResult;
}

type NameType = 'actor' | 'malware' | 'vendor' | 'product';

interface NameRef {
  type: NameType;
  record: EntityRecord;
  vendor?: string;
}

/** Words that make an English-word alias a name ("Maze ransomware", "the One group"). */
const CONTEXT: Record<NameType, ReadonlySet<string>> = {
  actor: new Set(['group', 'apt', 'actor', 'actors', 'gang', 'hackers', 'hacking', 'threat', 'operators', 'crew', 'attributed', 'sponsored', 'espionage', 'cyberespionage', 'adversary', 'intrusion', 'campaign', 'hacker', 'team']),
  malware: new Set(['malware', 'ransomware', 'backdoor', 'trojan', 'botnet', 'loader', 'stealer', 'infostealer', 'rat', 'worm', 'spyware', 'implant', 'payload', 'variant', 'strain', 'family', 'dropper', 'c2', 'infection', 'infected', 'encryptor', 'wiper', 'beacon', 'gang', 'operators', 'affiliates', 'tool', 'utility', 'command', 'keylogger', 'exe', 'dll']),
  vendor: new Set(['vulnerability', 'vulnerabilities', 'flaw', 'flaws', 'patch', 'patches', 'patched', 'update', 'updates', 'security', 'advisory', 'products', 'product', 'devices', 'software', 'firmware', 'cve', 'exploit', 'zero', 'fixed', 'appliances', 'bug']),
  product: new Set(['vulnerability', 'vulnerabilities', 'flaw', 'flaws', 'patch', 'update', 'version', 'versions', 'cve', 'exploit', 'fixed', 'bug']),
};

/**
 * An alias of at most this many letters and digits ("UPS", "SUQ", "3am") is an abbreviation, a time or a
 * size far more often than the name: it counts only with a context word next to it ("the UPS group",
 * "SUQ backdoor"), not anywhere in the sentence ("a campaign spoofing UPS branding"). So does an English
 * word that the sources give in lower case ("telegram", "global"): a capital alone does not make it the
 * name ("Telegram" is the messenger), "Fog ransomware" does.
 */
const SHORT_ALIAS_MAX = 3;
const SHORT_ALIAS_CONTEXT_WINDOW = 1;

function isShortAlias(alias: string): boolean {
  let length = 0;
  for (const word of nameTokens(alias)) length += word.length;
  return length <= SHORT_ALIAS_MAX;
}

/** After a ransomware family's name, these words mean its operators, an actor ("the LockBit gang"). */
const GANG_WORDS = new Set(['gang', 'group', 'operators', 'operator', 'crew', 'affiliates', 'affiliate', 'actors', 'actor', 'members', 'cartel', 'hackers']);
const GANG_WINDOW = 2;

const TYPE_ORDER = new Map<TagType, number>(TAG_TYPES.map((type, index) => [type, index]));
/** The order of localeCompare(…, 'en') without building a collator on every comparison. */
const VALUE_ORDER = new Intl.Collator('en');

class TagSet {
  private readonly tags = new Map<string, Tag>();

  add(type: TagType, value: string, name: string, mention?: string, attackId?: string): void {
    const slug = `${type}:${value}`;
    let tag = this.tags.get(slug);
    if (!tag) {
      tag = { type, value, slug, name };
      if (attackId) tag.ids = { attack: attackId };
      this.tags.set(slug, tag);
    }
    if (mention !== undefined) {
      const mentions = tag.mentions ?? [];
      if (!mentions.includes(mention)) mentions.push(mention);
      tag.mentions = mentions;
    }
  }

  has(slug: string): boolean {
    return this.tags.has(slug);
  }

  hasType(type: TagType): boolean {
    for (const tag of this.tags.values()) if (tag.type === type) return true;
    return false;
  }

  list(): Tag[] {
    return [...this.tags.values()]
      .map((tag) => (tag.mentions ? { ...tag, mentions: [...tag.mentions].sort() } : tag))
      .sort((x, y) => (TYPE_ORDER.get(x.type) ?? 0) - (TYPE_ORDER.get(y.type) ?? 0) || VALUE_ORDER.compare(x.value, y.value));
  }
}

/**
 * Words that say a name means the group, or the code, and not the other: used when one name is both an
 * actor's and a malware family's own name ("Carbanak" the group, "Carbanak" the backdoor).
 */
const ACTOR_ONLY = new Set([...CONTEXT.actor].filter((word) => !CONTEXT.malware.has(word)).concat(['aka', 'known', 'tracked', 'dubbed']));
const MALWARE_ONLY = new Set([...CONTEXT.malware].filter((word) => !CONTEXT.actor.has(word)));
const SENSE_WINDOW = 4;

function senseNear(tokens: Token[], from: number, to: number, words: ReadonlySet<string>): boolean {
  for (let i = Math.max(0, from - SENSE_WINDOW); i < Math.min(tokens.length, to + SENSE_WINDOW); i += 1) {
    if ((i < from || i >= to) && words.has((tokens[i] as Token).lower)) return true;
  }
  return false;
}

/**
 * Where one mention is both an actor and a malware family, keeps the sense its neighbours give (group words
 * or code words); with both or neither near, both stay.
 */
function namedOnce(hits: GazetteerHit<NameRef>[], tokens: Token[]): GazetteerHit<NameRef>[] {
  const spans = new Map<number, Set<NameType>>();
  for (const hit of hits) {
    const types = spans.get(hit.from) ?? new Set<NameType>();
    types.add(hit.entry.data.type);
    spans.set(hit.from, types);
  }
  return hits.filter((hit) => {
    const types = spans.get(hit.from);
    const type = hit.entry.data.type;
    if (!types?.has('actor') || !types.has('malware') || (type !== 'actor' && type !== 'malware')) return true;
    const actorSense = senseNear(tokens, hit.from, hit.to, ACTOR_ONLY);
    const malwareSense = senseNear(tokens, hit.from, hit.to, MALWARE_ONLY);
    if (actorSense === malwareSense) return true;
    return type === 'actor' ? actorSense : malwareSense;
  });
}

/** What says the next name is the same thing: "FIN7 or Carbanak", "APT41 (Winnti Group)", "X, also known as Y". */
const SAME_THING_GAP = /^\s*(?:\(|\/|,?\s*(?:or|aka|a\.k\.a\.?|(?:also\s+)?(?:known|tracked|referred\s+to)\s+as|also\s+called)\s*,?)\s*$/i;
const QUOTES = /["“”'‘’]/g;

/**
 * Two names side by side that the writer gives as one thing, where the data says one's sources count the
 * other among its names (record.c): the claimed one is this mention of the claimant, not a group of its own.
 * Hits are of one text, in text order.
 */
function withoutClaimed(hits: GazetteerHit<NameRef>[], text: string, tokens: Token[]): GazetteerHit<NameRef>[] {
  const claimed = new Set<GazetteerHit<NameRef>>();
  for (let i = 1; i < hits.length; i += 1) {
    const left = hits[i - 1] as GazetteerHit<NameRef>;
    const right = hits[i] as GazetteerHit<NameRef>;
    const type = left.entry.data.type;
    if (type !== right.entry.data.type || (type !== 'actor' && type !== 'malware') || left.to > right.from) continue;
    const leftRecord = left.entry.data.record;
    const rightRecord = right.entry.data.record;
    if (!leftRecord.c?.includes(rightRecord.v) && !rightRecord.c?.includes(leftRecord.v)) continue;
    const gap = text.slice((tokens[left.to - 1] as Token).end, (tokens[right.from] as Token).start).replace(QUOTES, '');
    if (!SAME_THING_GAP.test(gap)) continue;
    claimed.add(leftRecord.c?.includes(rightRecord.v) ? right : left);
  }
  return claimed.size === 0 ? hits : hits.filter((hit) => !claimed.has(hit));
}

/** What stands between two items of one list: "X, Y", "X and Y", "X, Y, or Z", "X/Y". */
const LIST_GAP = /^\s*(?:,|;|\/|&|(?:,\s*)?(?:and|or))\s*$/;

/**
 * An English-word alias with no context word near still counts when it is an item of a list whose
 * neighbour is a name of the same type read on its own strength ("Mimikatz and BloodHound", "APT33 and
 * Gorgon"): the writer is naming things of one kind. Hits are of one text, in text order; returns the
 * weak hits so licensed.
 */
function listedWithNames(hits: GazetteerHit<NameRef>[], text: string, tokens: Token[]): Set<GazetteerHit<NameRef>> {
  const licensed = new Set<GazetteerHit<NameRef>>();
  if (!hits.some((hit) => hit.weak)) return licensed;
  const counts = (hit: GazetteerHit<NameRef>): boolean => !hit.weak || licensed.has(hit);
  const adjacent = (left: GazetteerHit<NameRef>, right: GazetteerHit<NameRef>): boolean =>
    left.to <= right.from && LIST_GAP.test(text.slice((tokens[left.to - 1] as Token).end, (tokens[right.from] as Token).start));
  // Licences pass along a list ("X, Y and Z" with only X plain), so sweep until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    hits.forEach((hit, index) => {
      if (counts(hit)) return;
      const type = hit.entry.data.type;
      const near = [hits[index - 1], hits[index + 1]];
      if (near.some((other) => other !== undefined && other.entry.data.type === type && counts(other) && (adjacent(other, hit) || adjacent(hit, other)))) {
        licensed.add(hit);
        changed = true;
      }
    });
  }
  return licensed;
}

/** A command-line switch right after a program's name: "netstat -nao", "schtasks /create", "attrib +h". */
const COMMAND_SWITCH = /^[ \t]{1,2}[-/+][\p{L}?]/u;
const SWITCH_LOOKAHEAD = 4;

/** Words right after a program's name that say it was run: "the ipconfig command", "the netstat utility". */
const PROGRAM_WORDS = new Set(['command', 'commands', 'tool', 'utility', 'binary', 'executable']);

/**
 * A system utility (record.u) counts as its program file ("net.exe"), as a command with a switch, or
 * named as a program ("runs the ipconfig command"); the command interpreter only with a switch.
 */
function runAsProgram(hit: GazetteerHit<NameRef>, text: string, tokens: Token[]): boolean {
  const end = (tokens[hit.to - 1] as Token).end;
  const switched = COMMAND_SWITCH.test(text.slice(end, end + SWITCH_LOOKAHEAD));
  if (hit.entry.data.record.u === 2) return switched;
  return switched || /\.exe$/i.test(hit.surface) || PROGRAM_WORDS.has(tokens[hit.to]?.lower ?? '');
}

function hasLongWord(tokens: Token[]): boolean {
  for (const token of tokens) if (token.end - token.start >= SHORTEST_HASH) return true;
  return false;
}

export function createTagger(options: { dataDir?: string; logger?: Logger } = {}): Tagger {
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  const data = loadTagData(options.dataDir ?? defaultDataDir());

  const entries: GazetteerEntry<NameRef>[] = [];
  const addRecords = (type: NameType, records: EntityRecord[], vendorOf?: (record: EntityRecord) => string): void => {
    for (const record of records) {
      const ref: NameRef = { type, record };
      const vendor = vendorOf?.(record);
      if (vendor) ref.vendor = vendor;
      for (const alias of record.a) entries.push({ data: ref, alias, caseSensitive: false, needsContext: false });
      for (const alias of record.w ?? []) {
        const entry: GazetteerEntry<NameRef> = { data: ref, alias, caseSensitive: true, needsContext: true, context: CONTEXT[type] };
        if (isShortAlias(alias) || !/\p{Lu}/u.test(alias)) entry.contextWindow = SHORT_ALIAS_CONTEXT_WINDOW;
        entries.push(entry);
      }
    }
  };
  addRecords('actor', data.entities.actors);
  addRecords('malware', data.entities.malware);
  addRecords('vendor', data.vendors.vendors);
  addRecords('product', data.vendors.products, (record) => (record as EntityRecord & { vendor: string }).vendor);

  const vendorNames = new Map(data.vendors.vendors.map((record) => [record.v, record.n]));
  const productNames = new Map(data.vendors.products.map((record) => [record.v, record.n]));
  const actorsByValue = new Map(data.entities.actors.map((record) => [record.v, record]));
  const byAttackId = new Map<string, { type: 'actor' | 'malware'; record: EntityRecord }>();
  for (const record of data.entities.actors) if (record.id) byAttackId.set(record.id, { type: 'actor', record });
  for (const record of data.entities.malware) if (record.id) byAttackId.set(record.id, { type: 'malware', record });
  const knownAttackIds = new Set(byAttackId.keys());
  const countryNames = new Map(data.victims.countries.map((record) => [record.v, record.n]));
  const sectorNames = new Map(data.victims.sectors.map((record) => [record.v, record.n]));
  const incidents = createIncidentClassifier();
  const victims = createVictimMatcher(data.victims.countries, data.victims.sectors);
  // Names, branded vulnerabilities, incident cues and victim words: one walk over the words of a text.
  const gazetteer = createLayeredGazetteer<[NameRef, string[], Cue, VictimKind]>([
    { entries, options: { strictBoundaries: true } },
    { entries: data.branded.branded.map((entry) => ({ data: entry.cves, alias: entry.n, caseSensitive: true, needsContext: false })) },
    { entries: incidents.entries },
    { entries: victims.entries },
  ]);
  logger.debug({ names: gazetteer.size, ms: Math.round(performance.now() - started) }, 'tagger ready');

  return {
    tag(input, tagOptions = {}) {
      const title = input.title ?? '';
      const body = input.html ? articleTextFromHtml(input.html) : input.text;
      const titleTokens = tokenize(title);
      const bodyTokens = tokenize(body);
      const tags = new TagSet();
      const [titleNames, titleBranded, titleCues, titlePlaces] = gazetteer.find(title, titleTokens);
      const [bodyNames, bodyBranded, bodyCues, bodyPlaces] = gazetteer.find(body, bodyTokens);

      let hasKev = false;
      for (const { id, surface } of [...findCves(title), ...findCves(body)]) {
        tags.add('cve', id, id, surface);
        const kev = data.kev.cves[id];
        if (!kev) continue;
        hasKev = true;
        const [vendor, product] = kev;
        tags.add('kev', id, id, surface);
        tags.add('vendor', vendor, vendorNames.get(vendor) ?? vendor);
        if (product) tags.add('product', product, productNames.get(product) ?? product);
      }
      for (const hit of [...titleBranded, ...bodyBranded]) for (const id of hit.entry.data) tags.add('cve', id, id, hit.surface);
      const hasCve = tags.hasType('cve');
      for (const { id, name, surface } of [...findTechniques(title, data.techniques.techniques), ...findTechniques(body, data.techniques.techniques)]) {
        tags.add('technique', id, name, surface);
      }

      const strong = new Set<string>();
      const titleHits = withoutClaimed(namedOnce(titleNames, titleTokens), title, titleTokens);
      const bodyHits = withoutClaimed(namedOnce(bodyNames, bodyTokens), body, bodyTokens);
      const listed = listedWithNames(titleHits, title, titleTokens);
      for (const hit of listedWithNames(bodyHits, body, bodyTokens)) listed.add(hit);
      const hits = [
        ...titleHits.filter((hit) => !hit.entry.data.record.u || runAsProgram(hit, title, titleTokens)).map((hit) => ({ hit, tokens: titleTokens })),
        ...bodyHits.filter((hit) => !hit.entry.data.record.u || runAsProgram(hit, body, bodyTokens)).map((hit) => ({ hit, tokens: bodyTokens })),
      ];
      for (const { hit } of hits) if (!hit.weak || listed.has(hit)) strong.add(`${hit.entry.data.type}:${hit.entry.data.record.v}`);
      let hasRansomwareFamily = false;
      const products: { ref: NameRef; surface: string }[] = [];
      for (const { hit, tokens } of hits) {
        const ref = hit.entry.data;
        if (hit.weak && !strong.has(`${ref.type}:${ref.record.v}`)) continue;
        if (ref.type === 'product') {
          products.push({ ref, surface: hit.surface });
          continue;
        }
        tags.add(ref.type, ref.record.v, ref.record.n, hit.surface, ref.record.id);
        if (ref.type === 'malware' && ref.record.r) {
          hasRansomwareFamily = true;
          for (let i = hit.to; i < Math.min(tokens.length, hit.to + GANG_WINDOW); i += 1) {
            if (!GANG_WORDS.has(tokens[i]?.lower ?? '')) continue;
            const actor = actorsByValue.get(ref.record.v);
            tags.add('actor', ref.record.v, actor?.n ?? ref.record.n, hit.surface, actor?.id);
            break;
          }
        }
      }
      for (const { id, surface } of [...findAttackIds(title, knownAttackIds), ...findAttackIds(body, knownAttackIds)]) {
        const named = byAttackId.get(id);
        if (named) tags.add(named.type, named.record.v, named.record.n, surface, id);
      }
      // A bare product name ("Connect Secure") is that vendor's product only when the vendor is named too.
      for (const { ref, surface } of products) {
        if (ref.vendor && tags.has(`vendor:${ref.vendor}`)) tags.add('product', ref.record.v, ref.record.n, surface);
      }

      const found = victims.findFromHits({ text: title, tokens: titleTokens, hits: titlePlaces }, { text: body, tokens: bodyTokens, hits: bodyPlaces });
      for (const [value, mentions] of found.countries) {
        for (const mention of mentions) tags.add('country', value, countryNames.get(value) ?? value.toUpperCase(), mention);
      }
      for (const [value, mentions] of found.sectors) {
        for (const mention of mentions) tags.add('sector', value, sectorNames.get(value) ?? value, mention);
      }

      const signals = { hasCve, hasKev, hasRansomwareFamily };
      for (const { type, mentions } of incidents.classifyHits({ text: title, tokens: titleTokens, hits: titleCues }, { text: body, tokens: bodyTokens, hits: bodyCues }, signals)) {
        tags.add('incident', type, INCIDENT_NAMES[type]);
        for (const mention of mentions) tags.add('incident', type, INCIDENT_NAMES[type], mention);
      }

      for (const slug of tagOptions.forcedTags ?? []) {
        const parsed = parseTagSlug(slug);
        if (!parsed) continue;
        const value = parsed.type === 'source' ? slugify(parsed.value) || parsed.value : parsed.value;
        tags.add(parsed.type, value, parsed.type === 'source' ? value : tagLabel(parsed.type, value));
      }

      const longWords = hasLongWord(titleTokens) || hasLongWord(bodyTokens);
      return { tags: tags.list(), iocs: findIocs(`${title}\n${body}`, { longWords }) };
    },
  };
}
