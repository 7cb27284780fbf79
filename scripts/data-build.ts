/**
 * `npm run data:build [-- --from DIR] [--words FILE] [--threat-words FILE] [--out DIR]`
 *
 * Turns the upstream data in `../shared/data-sources` (CISA KEV, MITRE ATT&CK per-object STIX, MISP galaxy
 * clusters) into the compact gazetteers the tagger ships with (`config/tags/*.json`) and `config/NOTICE`.
 * Output is deterministic: every list is sorted, nothing depends on the clock.
 *
 * English-word detection (which aliases need context and exact case) uses word lists: for vendors, products
 * and places the Debian `wamerican` one (/usr/share/dict/american-english), whose common words are the ones
 * that collide with company names; for threat actors and malware the larger `wamerican-large`
 * (/usr/share/dict/american-english-large), because groups and families are named after rarer words
 * ("electrum", the wallet and Dragos's name for Sandworm; element names) that the small list lacks.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecwireError } from '../src/errors.js';
import { slugify } from '../src/tagging/slug.js';
import type {
  BrandedFile,
  EntitiesFile,
  EntityRecord,
  KevFile,
  KevRecord,
  PlaceRecord,
  ProductRecord,
  TechniquesFile,
  VendorsFile,
  VictimsFile,
} from '../src/tagging/data-format.js';
import { CURATED_VENDORS, DEMONYMS, EXTRA_COUNTRY_NAMES, GENERIC_ALIASES, SECTORS } from '../src/tagging/curated-data.js';

interface Options {
  from: string;
  words: string;
  threatWords: string;
  out: string;
}

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), import.meta.url.includes('/dist/') ? '../..' : '..');

const OPTION_FLAGS: Readonly<Record<string, keyof Options>> = { '--from': 'from', '--words': 'words', '--threat-words': 'threatWords', '--out': 'out' };

function parseArgs(argv: string[]): Options {
  const options: Options = {
    from: resolve(repoRoot, '../shared/data-sources'),
    words: '/usr/share/dict/american-english',
    threatWords: '/usr/share/dict/american-english-large',
    out: resolve(repoRoot, 'config'),
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    const key = OPTION_FLAGS[flag ?? ''];
    if (key !== undefined && value !== undefined) {
      options[key] = resolve(value);
      i += 1;
    } else {
      throw new SecwireError('UsageError', `data-build: unknown or incomplete flag ${flag ?? ''}; use --from DIR, --words FILE, --threat-words FILE, --out DIR`);
    }
  }
  return options;
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new SecwireError('ParseError', `data-build: cannot read ${path}: ${(error as Error).message}`, {}, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Names and aliases

/** The matcher's key for a name: its letter/digit runs, lower-cased. Two names with one key are one name. */
function nameKey(name: string): string {
  // "APT 40" and "APT40" are one name (the matcher accepts both spellings).
  return (name.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ').replace(/(?<=[a-z]) (?=\d)/g, '');
}

function loadEnglishWords(path: string): Set<string> {
  if (!existsSync(path)) {
    throw new SecwireError('ConfigError', `data-build: word list ${path} not found (apt-get install wamerican wamerican-large, or pass --words / --threat-words FILE)`);
  }
  // Only words listed in lower case: common nouns and adjectives ("maze", "august"), not proper names ("Lazarus").
  return new Set(readFileSync(path, 'utf8').split('\n').filter((word) => /^[a-z]+$/.test(word)));
}

/** Every word of the list in lower case, proper names too ("Poseidon", "Electrum"). */
function loadDictionaryWords(path: string): Set<string> {
  return new Set(readFileSync(path, 'utf8').split('\n').filter((word) => /^[A-Za-z]+$/.test(word)).map((word) => word.toLowerCase()));
}

/** Places keep two-letter names ("UK"); other names that short are mostly noise. */
function usableAlias(alias: string, generic: ReadonlySet<string> = GENERIC_ALIASES): boolean {
  const key = nameKey(alias);
  if (key.length < (generic === GENERIC_ALIASES ? 3 : 2) || /^[\d ]+$/.test(key)) return false;
  return !generic.has(key);
}

/**
 * A one-word alias of at most this many letters and digits ("UPS", "SUQ", "Tor", "3am", "24H") is as likely
 * an abbreviation, a time or a size as the name: it needs context and its exact case, like an English word
 * (and the tagger asks more of its context, see SHORT_ALIAS_MAX in src/tagging/index.ts).
 */
const SHORT_ALIAS_MAX = 3;

function isShortAlias(key: string): boolean {
  return key.length <= SHORT_ALIAS_MAX && /^[\p{L}\p{N}]+$/u.test(key);
}

/** Splits aliases into those matched freely and English words that need context and exact case. */
function splitAliases(
  aliases: Iterable<string>,
  englishWords: Set<string>,
  generic: ReadonlySet<string> = GENERIC_ALIASES,
): { a: string[]; w: string[] } {
  const free = new Map<string, string>();
  const words = new Map<string, string>();
  for (const raw of aliases) {
    const alias = raw.trim().replace(/\s+/g, ' ');
    if (!usableAlias(alias, generic)) continue;
    const key = nameKey(alias);
    if ((!key.includes(' ') && englishWords.has(key)) || isShortAlias(key.replaceAll(' ', ''))) {
      if (!words.has(alias)) words.set(alias, alias);
    } else if (!free.has(key)) {
      free.set(key, alias);
    }
  }
  const sorted = (map: Map<string, string>): string[] => [...map.values()].sort((x, y) => x.localeCompare(y, 'en'));
  return { a: sorted(free), w: sorted(words) };
}

// ---------------------------------------------------------------------------------------------------------
// Merging the same thing named by several sources

interface Node {
  kind: 'actor' | 'malware';
  primary: string;
  names: Set<string>;
  attackId?: string;
  /** ATT&CK names outrank Microsoft's, which outrank MISP's, when choosing the display name. */
  rank: number;
  ransomware: boolean;
  /** A program the operating system ships (ATT&CK tools such as net, schtasks, cmd); see SYSTEM_UTILITY. */
  utility?: 'program' | 'interpreter';
  /** ATT&CK IDs a MISP value lists among its synonyms (FIN7 lists G0008, Carbanak's). */
  claimedIds?: string[];
}

/** Union-find that refuses to join two different ATT&CK objects into one entity. */
class Merger {
  readonly nodes: Node[] = [];
  private readonly parent: number[] = [];

  add(node: Node): number {
    this.nodes.push(node);
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }

  find(index: number): number {
    let root = index;
    while (this.parent[root] !== root) root = this.parent[root] ?? root;
    let cursor = index;
    while (this.parent[cursor] !== root) {
      const next = this.parent[cursor] ?? root;
      this.parent[cursor] = root;
      cursor = next;
    }
    return root;
  }

  private attackIdOf(root: number): string | undefined {
    return this.nodes[root]?.attackId;
  }

  union(a: number, b: number): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA === rootB) return;
    const idA = this.attackIdOf(rootA);
    const idB = this.attackIdOf(rootB);
    if (idA !== undefined && idB !== undefined && idA !== idB) return;
    // The root carries the component's ATT&CK ID.
    const [root, child] = idB !== undefined && idA === undefined ? [rootB, rootA] : [rootA, rootB];
    this.parent[child] = root;
  }

  components(): Node[][] {
    const groups = new Map<number, Node[]>();
    this.nodes.forEach((node, index) => {
      const root = this.find(index);
      const list = groups.get(root) ?? [];
      list.push(node);
      groups.set(root, list);
    });
    return [...groups.values()];
  }
}

interface StixObject {
  type: string;
  id: string;
  name: string;
  aliases?: string[];
  x_mitre_aliases?: string[];
  description?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  external_references?: { source_name: string; external_id?: string }[];
}

function readStixDir(dir: string): StixObject[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => readJson<{ objects: StixObject[] }>(join(dir, file)).objects)
    .filter((object) => !object.revoked && !object.x_mitre_deprecated);
}

function attackIdOf(object: StixObject): string | undefined {
  return object.external_references?.find((ref) => ref.source_name === 'mitre-attack')?.external_id;
}

interface GalaxyValue {
  value: string;
  uuid: string;
  description?: string;
  meta?: Record<string, unknown>;
  related?: { 'dest-uuid': string; type: string }[];
}

function readGalaxy(from: string, name: string): GalaxyValue[] {
  return readJson<{ values: GalaxyValue[] }>(join(from, 'misp-galaxy/clusters', `${name}.json`)).values;
}

function metaStrings(value: GalaxyValue, key: string): string[] {
  const raw = value.meta?.[key];
  if (Array.isArray(raw)) return raw.filter((item): item is string => typeof item === 'string');
  return typeof raw === 'string' ? [raw] : [];
}

/** Malpedia's data may not ship: drop any MISP value that cites it. */
function citesMalpedia(value: GalaxyValue): boolean {
  return metaStrings(value, 'refs').some((ref) => ref.includes('malpedia'));
}

/**
 * How ATT&CK opens the description of a program the operating system ships: "The Net utility is a
 * component of Windows", "cmd is the Windows command-line interpreter", "schtasks is used to schedule
 * execution of programs". Tools of attackers that call themselves a utility are told apart by their kind
 * ("CARROTBALL is an FTP downloader utility").
 */
const SYSTEM_UTILITY = /\butility\b|\bcommand-line (?:interpreter|tool)\b|\bis used to schedule\b/i;
const NOT_SYSTEM_UTILITY = /\b(?:downloader|malware|backdoor|trojan|implant)\b/i;

const MALWARE_GALAXIES = ['ransomware', 'tool', 'rat', 'botnet', 'backdoor', 'stealer', 'banker', 'exploit-kit', 'wiper'];

function buildThreatEntities(
  from: string,
  englishWords: Set<string>,
  dictionaryWords: Set<string>,
  vendorKeys: ReadonlySet<string>,
  placeKeys: PlaceKeys,
): EntitiesFile {
  const merger = new Merger();
  const byUuid = new Map<string, number>();
  const byAttackId = new Map<string, number>();
  const attack = join(from, 'mitre-cti/enterprise-attack');

  const addStix = (object: StixObject, kind: Node['kind'], isTool = false): void => {
    const attackId = attackIdOf(object);
    const names = new Set([object.name, ...(object.aliases ?? []), ...(object.x_mitre_aliases ?? [])]);
    // A tool is named by its program file too ("ping.exe"), which is never an English word.
    if (isTool && /^[A-Za-z][A-Za-z0-9]*$/.test(object.name)) names.add(`${object.name}.exe`);
    const firstSentence = (object.description ?? '').split('. ')[0] ?? '';
    const ransomware = kind === 'malware' && /\bransomware\b/i.test(firstSentence);
    const node: Node = { kind, primary: object.name, names, rank: 0, ransomware };
    if (isTool && SYSTEM_UTILITY.test(firstSentence) && !NOT_SYSTEM_UTILITY.test(firstSentence)) {
      node.utility = /\binterpreter\b/i.test(firstSentence) ? 'interpreter' : 'program';
    }
    if (attackId) node.attackId = attackId;
    const index = merger.add(node);
    byUuid.set(object.id.replace(/^[a-z-]+--/, ''), index);
    if (attackId) byAttackId.set(attackId, index);
  };
  readStixDir(join(attack, 'intrusion-set')).forEach((object) => addStix(object, 'actor'));
  readStixDir(join(attack, 'malware')).forEach((object) => addStix(object, 'malware'));
  readStixDir(join(attack, 'tool')).forEach((object) => addStix(object, 'malware', true));

  // MISP's copies of ATT&CK objects: only their UUIDs matter, so relations that point at them resolve.
  for (const galaxy of ['mitre-intrusion-set', 'mitre-malware', 'mitre-tool']) {
    for (const value of readGalaxy(from, galaxy)) {
      const id = metaStrings(value, 'external_id')[0];
      const index = id ? byAttackId.get(id) : undefined;
      if (index !== undefined) byUuid.set(value.uuid, index);
    }
  }

  const misp: { index: number; value: GalaxyValue }[] = [];
  const addGalaxy = (galaxy: string, kind: Node['kind'], rank: number): void => {
    for (const value of readGalaxy(from, galaxy)) {
      if (citesMalpedia(value)) continue;
      const synonyms = metaStrings(value, 'synonyms');
      const names = new Set([value.value, ...synonyms.filter((name) => !/^[GS]\d{4}$/.test(name))]);
      const claimedIds = synonyms.filter((name) => /^[GS]\d{4}$/.test(name));
      const index = merger.add({ kind, primary: value.value, names, rank, ransomware: galaxy === 'ransomware', claimedIds });
      byUuid.set(value.uuid, index);
      misp.push({ index, value });
      for (const id of synonyms.filter((name) => /^[GS]\d{4}$/.test(name))) {
        const target = byAttackId.get(id);
        if (target !== undefined && merger.nodes[target]?.kind === kind) merger.union(target, index);
      }
    }
  };
  addGalaxy('microsoft-activity-group', 'actor', 1);
  addGalaxy('threat-actor', 'actor', 2);
  for (const galaxy of MALWARE_GALAXIES) addGalaxy(galaxy, 'malware', 2);

  for (const { index, value } of misp) {
    for (const relation of value.related ?? []) {
      if (relation.type !== 'similar' && relation.type !== 'same-as') continue;
      const target = byUuid.get(relation['dest-uuid']);
      if (target !== undefined && merger.nodes[target]?.kind === merger.nodes[index]?.kind) merger.union(index, target);
    }
  }
  // Same primary name (by key) in two sources: the same thing. MISP often calls a family "Play Ransomware"
  // where ATT&CK says "Play": the kind word does not make it another thing.
  const primaryKey = (node: Node): string => nameKey(node.primary).replace(node.ransomware ? / ransomware$/ : /$^/, '');
  const byPrimary = new Map<string, number>();
  merger.nodes.forEach((node, index) => {
    // A system program is not the MISP family named after it ("cmd" the shell, "Cmd" a ransomware).
    if (node.utility) return;
    const key = `${node.kind}|${primaryKey(node)}`;
    const seen = byPrimary.get(key);
    if (seen === undefined) byPrimary.set(key, index);
    else merger.union(seen, index);
  });
  // A MISP value whose primary name is another node's alias joins it (MISP often lists ATT&CK names as synonyms).
  const byAlias = new Map<string, number[]>();
  merger.nodes.forEach((node, index) => {
    for (const name of node.names) {
      const key = `${node.kind}|${nameKey(name)}`;
      byAlias.set(key, [...(byAlias.get(key) ?? []), index]);
    }
  });
  for (const { index } of misp) {
    const node = merger.nodes[index];
    if (!node) continue;
    const key = primaryKey(node);
    // "Snake Ransomware" is not the Snake espionage implant: a name stripped of its kind word joins ransomware only.
    const stripped = key !== nameKey(node.primary);
    const holders = (byAlias.get(`${node.kind}|${key}`) ?? []).filter((other) => other !== index && !merger.nodes[other]?.utility && (!stripped || merger.nodes[other]?.ransomware));
    const roots = new Set(holders.map((other) => merger.find(other)));
    if (roots.size === 1 && holders[0] !== undefined) merger.union(index, holders[0]);
  }

  const components = merger.components();
  const entities = components.map((nodes) => toEntity(nodes, englishWords));
  const claims = new Map(components.map((nodes, index) => [entityKey(entities[index]?.record as EntityRecord), claimsOf(nodes)]));
  const actors = dedupeAliases(entities.filter((entity) => entity.kind === 'actor').map((entity) => entity.record));
  const malware = dedupeAliases(entities.filter((entity) => entity.kind === 'malware').map((entity) => entity.record));
  const [actorsSplit, malwareSplit] = splitCrossTypeAliases(withKindWordOwners(actors, dictionaryWords), malware);
  const [actorsLeft = [], malwareLeft = []] = withJoinedSpellings([actorsSplit, malwareSplit], englishWords);
  return {
    actors: withClaims(placesInContext(vendorNamesInContext(withoutAliases(actorsLeft, vendorKeys), vendorKeys), placeKeys), claims),
    malware: withClaims(placesInContext(vendorNamesInContext(withoutAliases(malwareLeft, vendorKeys), vendorKeys), placeKeys), claims),
  };
}

/**
 * A family that only MISP knows, named after a vendor or product ("mcafee", "orion", "Zimbra", "Windows10":
 * mostly ransomware named by the file extension it wrote), keeps its own name only as a context-bound
 * one ("the Zimbra ransomware"): without context the vendor or product is meant. ATT&CK's software is
 * catalogued as attackers' tooling under its name (Cobalt Strike, ConnectWise) and keeps it free.
 */
function vendorNamesInContext(records: EntityRecord[], vendorKeys: ReadonlySet<string>): EntityRecord[] {
  const isVendorName = (alias: string): boolean => {
    const key = nameKey(alias);
    return vendorKeys.has(key) || vendorKeys.has(key.replace(/(?<=[a-z])\d+$/, ''));
  };
  return records.map((record) => {
    if (record.id !== undefined || !record.a.some(isVendorName)) return record;
    const w = [...(record.w ?? []), ...record.a.filter(isVendorName)].sort((x, y) => x.localeCompare(y, 'en'));
    return { ...record, a: record.a.filter((alias) => !isVendorName(alias)), w };
  });
}

interface PlaceKeys {
  names: ReadonlySet<string>;
  adjectives: ReadonlySet<string>;
}

/** The record with these alias lists; `w` (names that need context) is left out when empty, as the JSON keeps it. */
function withAliasLists<T extends EntityRecord>(record: T, a: string[], w: string[]): T {
  const next: T = { ...record, a };
  if (w.length > 0) next.w = w;
  else delete next.w;
  return next;
}

/**
 * An alias that is a country's name ("Cuba" the ransomware) names the country far more often: like an
 * English word, it counts only with its capital and a context word near ("Cuba ransomware"). One that is
 * a nationality ("Russian", given to VaultCrypt) says who, never what: "Russian hackers", "the Russian
 * gang" are the nationality even beside a context word, so it goes.
 */
function placesInContext(records: EntityRecord[], places: PlaceKeys): EntityRecord[] {
  const result: EntityRecord[] = [];
  for (const record of records) {
    const isPlace = (alias: string): boolean => places.names.has(nameKey(alias)) || places.adjectives.has(nameKey(alias));
    if (![...record.a, ...(record.w ?? [])].some(isPlace)) {
      result.push(record);
      continue;
    }
    const a = record.a.filter((alias) => !isPlace(alias));
    const w = [...(record.w ?? []), ...record.a.filter((alias) => places.names.has(nameKey(alias)))]
      .filter((alias) => !places.adjectives.has(nameKey(alias)))
      .sort((x, y) => x.localeCompare(y, 'en'));
    if (a.length === 0 && w.length === 0) continue;
    result.push(withAliasLists(record, a, w));
  }
  return result;
}

/** Country names and nationality adjectives ("Russian", "North Korean", and the word alone: "Korean"), as matcher keys. */
function placeKeysOf(victims: VictimsFile): PlaceKeys {
  const adjectives = victims.countries.flatMap((record) => record.adj ?? []);
  const lastWords = adjectives.map((adjective) => adjective.split(/\s+/).pop() ?? adjective);
  return {
    names: new Set(victims.countries.flatMap((record) => [...record.a, ...(record.w ?? [])].map(nameKey))),
    adjectives: new Set([...adjectives, ...lastWords].map(nameKey)),
  };
}

/** Which entity a record is, through the renames and alias trims after it was built. */
function entityKey(record: EntityRecord): string {
  return record.id ?? `name:${record.n}`;
}

/** The names and ATT&CK IDs the sources of one entity give it, before ambiguous ones are trimmed. */
function claimsOf(nodes: Node[]): { keys: Set<string>; ids: Set<string> } {
  return {
    keys: new Set(nodes.flatMap((node) => [...node.names].map(nameKey))),
    ids: new Set(nodes.flatMap((node) => node.claimedIds ?? [])),
  };
}

/**
 * Where a source lists another entity's own name or ATT&CK ID among an entity's names (MISP's FIN7 lists
 * Carbanak and G0008; its APT41 lists Winnti Group's G0044), that entity claims the other (record.c): the
 * tagger reads "FIN7, also known as Carbanak" or "APT41 (Winnti Group)" as one group, the claimant.
 * ATT&CK keeps both apart, so the claim never merges them.
 */
function withClaims(records: EntityRecord[], claims: ReadonlyMap<string, { keys: Set<string>; ids: Set<string> }>): EntityRecord[] {
  return records.map((record) => {
    const own = claims.get(entityKey(record));
    if (!own) return record;
    const claimed = records
      .filter((other) => other !== record && ((other.id !== undefined && own.ids.has(other.id)) || own.keys.has(nameKey(other.n))))
      .map((other) => other.v)
      .sort((x, y) => x.localeCompare(y, 'en'));
    return claimed.length > 0 ? { ...record, c: claimed } : record;
  });
}

/** Words after a group's name that say what it is, not which one ("Winnti Group", "Sandworm Team"). */
const GROUP_KIND_WORDS = /^(.+) (?:group|team|gang|crew)$/;

/**
 * A group named "X Group" owns the bare "X": another group that lists "X" among its aliases (MISP gives
 * "Winnti" to APT41, ATT&CK keeps "Winnti Group" apart) loses it, and the owner gains it when no one
 * else holds it.
 */
function withKindWordOwners(actors: EntityRecord[], dictionaryWords: Set<string>): EntityRecord[] {
  const owners = new Map<string, EntityRecord[]>();
  for (const record of actors) {
    const core = GROUP_KIND_WORDS.exec(nameKey(record.n))?.[1];
    if (core !== undefined) owners.set(core, [...(owners.get(core) ?? []), record]);
  }
  const ownedByOther = (record: EntityRecord, alias: string): boolean => {
    const list = owners.get(nameKey(alias));
    return list !== undefined && list.length === 1 && list[0] !== record && nameKey(alias) !== nameKey(record.n);
  };
  const held = new Set<string>();
  const trimmed = actors.map((record): EntityRecord => {
    const a = record.a.filter((alias) => !ownedByOther(record, alias));
    const w = (record.w ?? []).filter((alias) => !ownedByOther(record, alias));
    for (const alias of [...a, ...w]) held.add(nameKey(alias));
    return withAliasLists(record, a, w);
  });
  return trimmed.map((record) => {
    const core = GROUP_KIND_WORDS.exec(nameKey(record.n))?.[1];
    // A word of the dictionary stripped of its kind word ("Hacking Team", "Poseidon Group") names nothing alone.
    if (core === undefined || held.has(core) || owners.get(core)?.length !== 1 || dictionaryWords.has(core) || isShortAlias(core)) return record;
    const bare = (record.n.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, -1).join(' ');
    return { ...record, a: [...record.a, bare].sort((x, y) => x.localeCompare(y, 'en')) };
  });
}

/**
 * An alias held by an actor and by a malware family ("Turla" is the group; MISP also lists it for the
 * Snake malware): the one named so keeps it; when neither is, the actor does (MISP names malware after
 * the group that uses it far more often than the other way round). When both are, both keep it; so does
 * a ransomware family, whose gang is the actor.
 */
function splitCrossTypeAliases(actors: EntityRecord[], malware: EntityRecord[]): [EntityRecord[], EntityRecord[]] {
  const ownKeys = (records: EntityRecord[]): Set<string> => new Set(records.map((record) => nameKey(record.n)));
  const aliasKeys = (records: EntityRecord[]): Set<string> =>
    new Set(records.flatMap((record) => [...record.a, ...(record.w ?? [])].map(nameKey)));
  const actorNames = ownKeys(actors);
  const malwareNames = ownKeys(malware);
  const actorAliases = aliasKeys(actors);
  const malwareAliases = aliasKeys(malware);
  const dropFromActors = new Set([...actorAliases].filter((key) => malwareAliases.has(key) && malwareNames.has(key) && !actorNames.has(key)));
  const dropFromMalware = new Set([...malwareAliases].filter((key) => actorAliases.has(key) && !malwareNames.has(key)));
  // A ransomware family and its gang are one thing under two types: the family keeps the name ("Play").
  const families = malware.filter((record) => record.r === 1);
  const others = malware.filter((record) => record.r !== 1);
  const malwareLeft = [...withoutAliases(others, dropFromMalware, true), ...families].sort((x, y) => x.v.localeCompare(y.v, 'en'));
  return [withoutAliases(actors, dropFromActors, true), malwareLeft];
}

/**
 * Drops aliases whose key is in `keys`. Vendor and product names ("Alibaba", "Foxmail") name the company or
 * product far more often than the group MISP once saw using them; an entity's own name stays unless
 * `evenOwnName`.
 */
function withoutAliases(records: EntityRecord[], keys: ReadonlySet<string>, evenOwnName = false): EntityRecord[] {
  const result: EntityRecord[] = [];
  for (const record of records) {
    const keep = (alias: string): boolean => !keys.has(nameKey(alias)) || (!evenOwnName && nameKey(alias) === nameKey(record.n));
    const a = record.a.filter(keep);
    const w = (record.w ?? []).filter(keep);
    if (a.length === 0 && w.length === 0) continue;
    result.push(withAliasLists(record, a, w));
  }
  return result;
}

/**
 * A name of two words is also written as one ("JSS Loader" / "JSSLoader", "Cobalt Strike" / "CobaltStrike"):
 * the joined spelling is added where no other actor or family already answers to it, and, like any alias,
 * needs context if it is an English word.
 */
function withJoinedSpellings(groups: EntityRecord[][], englishWords: Set<string>): EntityRecord[][] {
  const held = new Set(groups.flat().flatMap((record) => [...record.a, ...(record.w ?? [])].map(nameKey)));
  const joinedBy = new Map<string, EntityRecord[]>();
  const joinedOf = (record: EntityRecord): string[] =>
    record.a.flatMap((name) => {
      const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
      // A letter run and a number ("APT 40") are joined by the matcher already.
      if (words.length !== 2 || !/^[\p{L}\p{N}]+[\s-]+[\p{L}\p{N}]+$/u.test(name) || words.some((word) => /^\d+$/.test(word))) return [];
      return [words.join('')];
    });
  for (const record of groups.flat()) {
    for (const joined of joinedOf(record)) {
      const key = nameKey(joined);
      if (held.has(key)) continue;
      const list = joinedBy.get(key) ?? [];
      if (!list.includes(record)) list.push(record);
      joinedBy.set(key, list);
    }
  }
  return groups.map((records) =>
    records.map((record) => {
      const extra = joinedOf(record).filter((joined) => joinedBy.get(nameKey(joined))?.length === 1);
      if (extra.length === 0) return record;
      const { a, w } = splitAliases([...record.a, ...(record.w ?? []), ...extra], englishWords);
      const next: EntityRecord = { ...record, a };
      if (w.length > 0) next.w = w;
      return next;
    }),
  );
}

function toEntity(nodes: Node[], englishWords: Set<string>): { kind: Node['kind']; record: EntityRecord } {
  const sorted = [...nodes].sort((x, y) => x.rank - y.rank || x.primary.localeCompare(y.primary, 'en'));
  const best = sorted[0];
  if (!best) throw new SecwireError('ParseError', 'data-build: empty entity');
  const attackId = nodes.find((node) => node.attackId)?.attackId;
  const names = new Set(nodes.flatMap((node) => [...node.names]));
  const { a, w } = splitAliases(names, englishWords);
  const record: EntityRecord = { v: slugify(best.primary), n: best.primary, a };
  if (attackId) record.id = attackId;
  if (w.length > 0) record.w = w;
  if (nodes.some((node) => node.ransomware)) record.r = 1;
  if (nodes.some((node) => node.utility === 'interpreter')) record.u = 2;
  else if (nodes.some((node) => node.utility === 'program')) record.u = 1;
  return { kind: best.kind, record };
}

/**
 * Within one type, an alias shared by two entities is ambiguous: it stays only with the entity whose own
 * name it is (when exactly one), else it goes. Values are made unique the same way.
 */
function dedupeAliases<T extends EntityRecord>(records: T[]): T[] {
  const holders = new Map<string, T[]>();
  for (const record of records) {
    for (const alias of [...record.a, ...(record.w ?? [])]) {
      const key = nameKey(alias);
      const list = holders.get(key) ?? [];
      if (!list.includes(record)) list.push(record);
      holders.set(key, list);
    }
  }
  const keep = (record: T, alias: string): boolean => {
    const list = holders.get(nameKey(alias)) ?? [];
    if (list.length <= 1) return true;
    const owners = list.filter((other) => nameKey(other.n) === nameKey(alias));
    if (owners.length === 1) return owners[0] === record;
    // Several entities of that name, or none (MISP lists "APT27" under Microsoft's and ATT&CK's entity
    // alike): the one in ATT&CK keeps it.
    const inAttack = (owners.length > 0 ? owners : list).filter((other) => other.id !== undefined);
    return inAttack.length === 1 && inAttack[0] === record;
  };
  const usedValues = new Set<string>();
  const result: T[] = [];
  const ordered = [...records].sort((x, y) => Number(y.id !== undefined) - Number(x.id !== undefined) || x.v.localeCompare(y.v, 'en'));
  for (const record of ordered) {
    const a = record.a.filter((alias) => keep(record, alias));
    const w = (record.w ?? []).filter((alias) => keep(record, alias));
    if (a.length === 0 && w.length === 0) continue;
    let value = record.v || slugify(record.n);
    if (value === '' || usedValues.has(value)) value = record.id ? `${value}-${record.id.toLowerCase()}` : value;
    if (value === '' || usedValues.has(value)) continue;
    usedValues.add(value);
    result.push(withAliasLists({ ...record, v: value }, a, w));
  }
  return result.sort((x, y) => x.v.localeCompare(y.v, 'en'));
}

// ---------------------------------------------------------------------------------------------------------
// KEV, vendors and products

interface KevVulnerability {
  cveID: string;
  vendorProject: string;
  product: string;
  dateAdded: string;
  knownRansomwareCampaignUse: string;
}

function productValue(vendor: string, product: string): string {
  const vendorSlug = slugify(vendor);
  const productSlug = slugify(product);
  return productSlug.startsWith(`${vendorSlug}-`) || productSlug === vendorSlug ? productSlug : `${vendorSlug}-${productSlug}`;
}

function usableProduct(product: string): boolean {
  return !/^multiple\b|^unknown\b/i.test(product) && nameKey(product).length >= 3;
}

function buildKevAndVendors(from: string, englishWords: Set<string>): { kev: KevFile; vendors: VendorsFile } {
  const catalog = readJson<{ catalogVersion: string; vulnerabilities: KevVulnerability[] }>(
    join(from, 'kev/known_exploited_vulnerabilities.json'),
  );
  const vendorNames = new Map<string, Set<string>>();
  const vendorDisplay = new Map<string, string>();
  const addVendor = (name: string, aliases: string[]): string => {
    const value = slugify(name);
    if (!vendorDisplay.has(value)) vendorDisplay.set(value, name);
    const names = vendorNames.get(value) ?? new Set<string>();
    [name, ...aliases].forEach((alias) => names.add(alias));
    vendorNames.set(value, names);
    return value;
  };
  for (const [name, aliases] of CURATED_VENDORS) addVendor(name, [...aliases]);

  const products = new Map<string, ProductRecord>();
  const cves: Record<string, KevRecord> = {};
  for (const entry of [...catalog.vulnerabilities].sort((x, y) => x.cveID.localeCompare(y.cveID, 'en'))) {
    const vendor = addVendor(entry.vendorProject, []);
    let product = '';
    if (usableProduct(entry.product)) {
      product = productValue(entry.vendorProject, entry.product);
      if (!products.has(product)) {
        const displayVendor = vendorDisplay.get(vendor) ?? entry.vendorProject;
        const full = nameKey(entry.product).startsWith(nameKey(displayVendor)) ? entry.product : `${displayVendor} ${entry.product}`;
        const { a, w } = splitAliases([full, entry.product], englishWords);
        const record: ProductRecord = { v: product, n: full, vendor, a };
        if (w.length > 0) record.w = w;
        products.set(product, record);
      }
    }
    cves[entry.cveID.toUpperCase()] = [vendor, product, entry.dateAdded, entry.knownRansomwareCampaignUse === 'Known' ? 1 : 0];
  }
  const vendors = [...vendorNames.entries()].map(([value, names]): EntityRecord => {
    const { a, w } = splitAliases(names, englishWords);
    const record: EntityRecord = { v: value, n: vendorDisplay.get(value) ?? value, a };
    if (w.length > 0) record.w = w;
    return record;
  });
  return {
    kev: { catalogVersion: catalog.catalogVersion, cves },
    vendors: {
      vendors: dedupeAliases(vendors),
      products: dedupeAliases([...products.values()]),
    },
  };
}

/** Every vendor and product alias, as matcher keys. */
function vendorAndProductKeys(vendors: VendorsFile): Set<string> {
  return new Set([...vendors.vendors, ...vendors.products].flatMap((record) => [...record.a, ...(record.w ?? [])].map(nameKey)));
}

// ---------------------------------------------------------------------------------------------------------
// Countries, sectors, techniques, branded vulnerabilities

function buildVictims(from: string, englishWords: Set<string>): VictimsFile {
  const countries: PlaceRecord[] = readGalaxy(from, 'country')
    .map((value): PlaceRecord | null => {
      const iso = metaStrings(value, 'ISO')[0]?.toLowerCase();
      const name = value.description ?? value.value;
      if (!iso || !/^[a-z]{2}$/.test(iso)) return null;
      const { a, w } = splitAliases([name, ...(EXTRA_COUNTRY_NAMES[iso] ?? [])], englishWords, new Set());
      const record: PlaceRecord = { v: iso, n: name, a };
      if (w.length > 0) record.w = w;
      const adjectives = DEMONYMS[iso];
      if (adjectives) record.adj = [...adjectives].sort();
      return record;
    })
    .filter((record): record is PlaceRecord => record !== null)
    .sort((x, y) => x.v.localeCompare(y.v, 'en'));
  const sectors = SECTORS.map(([name, cues]): EntityRecord => ({ v: slugify(name), n: name, a: [...cues].sort() })).sort((x, y) =>
    x.v.localeCompare(y.v, 'en'),
  );
  return { countries, sectors };
}

function buildTechniques(from: string): TechniquesFile {
  const techniques: Record<string, string> = {};
  const objects = readStixDir(join(from, 'mitre-cti/enterprise-attack/attack-pattern'))
    .map((object) => [attackIdOf(object), object.name] as const)
    .filter((pair): pair is readonly [string, string] => pair[0] !== undefined)
    .sort((x, y) => x[0].localeCompare(y[0], 'en'));
  for (const [id, name] of objects) techniques[id] = name;
  return { techniques };
}

function buildBranded(from: string): BrandedFile {
  const branded = readGalaxy(from, 'branded_vulnerability')
    .map((value) => ({ n: value.value, cves: metaStrings(value, 'aliases').filter((alias) => /^CVE-\d{4}-\d{4,}$/i.test(alias)).sort() }))
    .filter((entry) => entry.cves.length > 0 && usableAlias(entry.n))
    .sort((x, y) => x.n.localeCompare(y.n, 'en'));
  return { branded };
}

// ---------------------------------------------------------------------------------------------------------
// NOTICE

function buildNotice(from: string): string {
  const mitreLicence = readFileSync(join(from, 'mitre-cti/LICENSE.txt'), 'utf8');
  const attackSection = mitreLicence.split(/\nCAPEC/)[0]?.trim() ?? mitreLicence.trim();
  const source = (path: string): string => readFileSync(join(from, path), 'utf8').trim();
  return [
    'secwire ships data derived from the sources below in config/tags/*.json (names, aliases, identifiers).',
    'It is rebuilt by `npm run data:build`.',
    '',
    '== MITRE ATT&CK ==',
    `Source: ${source('mitre-cti/SOURCE')}`,
    'Used: enterprise-attack groups, software and techniques (names, aliases, ATT&CK IDs).',
    '',
    attackSection,
    '',
    '== CISA Known Exploited Vulnerabilities catalog ==',
    `Source: ${source('kev/SOURCE')}`,
    'Used: CVE IDs, vendor and product names, date added, known ransomware use.',
    'The KEV catalog is distributed by CISA under the Creative Commons CC0 1.0 Universal public domain dedication.',
    'Use of this data does not imply endorsement by CISA or DHS.',
    '',
    '== MISP galaxy ==',
    `Source: ${source('misp-galaxy/SOURCE')}`,
    'Used: threat-actor, microsoft-activity-group, ransomware, tool, rat, botnet, backdoor, stealer, banker,',
    'exploit-kit, wiper, country and branded_vulnerability clusters (names, synonyms, relations).',
    'Values citing Malpedia are left out. The MISP galaxy JSON is dual-licensed under CC0 1.0 Universal or the',
    'BSD 2-Clause licence; secwire uses it under CC0 1.0.',
    'Copyright (c) 2015-2018 Alexandre Dulaunoy, CIRCL - Computer Incident Response Center Luxembourg, Andras Iklody,',
    'Raphael Vinot, Deborah Servili, and various contributors to the MISP Project.',
    '',
    '== English word list ==',
    'Which aliases are English words was decided with the Debian wamerican and wamerican-large word lists (public domain).',
    '',
  ].join('\n');
}

function writeJson(path: string, data: unknown): number {
  const text = `${JSON.stringify(data)}\n`;
  writeFileSync(path, text);
  return text.length;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(options.from)) {
    throw new SecwireError('ConfigError', `data-build: data sources not found at ${options.from} (pass --from DIR)`);
  }
  const englishWords = loadEnglishWords(options.words);
  const tagsDir = join(options.out, 'tags');
  mkdirSync(tagsDir, { recursive: true });
  const { kev, vendors } = buildKevAndVendors(options.from, englishWords);
  const victims = buildVictims(options.from, englishWords);
  const threatWords = loadEnglishWords(options.threatWords);
  const entities = buildThreatEntities(options.from, threatWords, loadDictionaryWords(options.threatWords), vendorAndProductKeys(vendors), placeKeysOf(victims));
  const sizes: Record<string, number> = {
    'entities.json': writeJson(join(tagsDir, 'entities.json'), entities),
    'kev.json': writeJson(join(tagsDir, 'kev.json'), kev),
    'vendors.json': writeJson(join(tagsDir, 'vendors.json'), vendors),
    'victims.json': writeJson(join(tagsDir, 'victims.json'), victims),
    'techniques.json': writeJson(join(tagsDir, 'techniques.json'), buildTechniques(options.from)),
    'branded.json': writeJson(join(tagsDir, 'branded.json'), buildBranded(options.from)),
  };
  writeFileSync(join(options.out, 'NOTICE'), buildNotice(options.from));
  const total = Object.values(sizes).reduce((sum, size) => sum + size, 0);
  for (const [file, size] of Object.entries(sizes)) process.stdout.write(`${file.padEnd(16)} ${(size / 1024).toFixed(0)} KiB\n`);
  process.stdout.write(`total            ${(total / 1024).toFixed(0)} KiB\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof SecwireError && (error.kind === 'UsageError' || error.kind === 'ConfigError') ? 2 : 1;
}
