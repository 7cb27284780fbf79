/**
 * `npm run eval:tags [-- --corpus DIR] [--errors train]` (default ../shared/corpus/tagging).
 *
 * AnnoCTR train and dev, reported separately: actors and malware/tools by ATT&CK ID per document, and by
 * normalised mention string. CASIE: incident types (micro and per class) and CVE sets, reported on two
 * halves by document id parity: "tune" (even ids, used to choose cue weights) and "held-out" (odd ids).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTagger } from '../src/tagging/index.js';
import type { Tag } from '../src/types.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), import.meta.url.includes('/dist/') ? '../..' : '..');

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const zero = (): Counts => ({ tp: 0, fp: 0, fn: 0 });

function addSets(counts: Counts, predicted: Set<string>, gold: Set<string>): void {
  for (const item of predicted) if (gold.has(item)) counts.tp += 1;
  else counts.fp += 1;
  for (const item of gold) if (!predicted.has(item)) counts.fn += 1;
}

function prf(counts: Counts): string {
  const p = counts.tp + counts.fp === 0 ? 1 : counts.tp / (counts.tp + counts.fp);
  const r = counts.tp + counts.fn === 0 ? 1 : counts.tp / (counts.tp + counts.fn);
  const f = p + r === 0 ? 0 : (2 * p * r) / (p + r);
  return `P ${p.toFixed(3)}  R ${r.toFixed(3)}  F1 ${f.toFixed(3)}  (tp ${counts.tp}, fp ${counts.fp}, fn ${counts.fn})`;
}

function normaliseMention(text: string): string {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ').replace(/(?<=[a-z]) (?=\d)/g, '');
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

interface AnnoctrDoc {
  id: string;
  split: string;
  text: string;
  mentions: Record<string, { text: string }[]>;
  linked_ids: Record<string, string[]>;
}

interface CasieDoc {
  id: string;
  title: string | null;
  text: string;
  event_types: string[];
  cves_in_text: string[];
}

const CASIE_TYPES = ['ransomware', 'data-breach', 'phishing', 'vulnerability-disclosure', 'patch-release'];

function ids(tags: Tag[], type: Tag['type'], pattern: RegExp): Set<string> {
  return new Set(tags.filter((tag) => tag.type === type && tag.ids?.attack && pattern.test(tag.ids.attack)).map((tag) => tag.ids?.attack as string));
}

function mentions(tags: Tag[], type: Tag['type']): Set<string> {
  return new Set(tags.filter((tag) => tag.type === type).flatMap((tag) => (tag.mentions ?? []).map(normaliseMention)));
}

/** The first place a mention is written, with some words either side, on one line. */
function contextOf(text: string, mention: string): string {
  const at = text.indexOf(mention);
  if (at < 0) return '(not found verbatim)';
  return text.slice(Math.max(0, at - ERROR_CONTEXT), at + mention.length + ERROR_CONTEXT).replace(/\s+/g, ' ');
}

const ERROR_CONTEXT = 90;

const THREAT_LABELS = ['GROUP', 'MALWARE', 'TOOL'];

/** Per ATT&CK ID over one split: how often it was right, extra, missed. */
type ByEntity = Map<string, Counts & { slug: string }>;

/**
 * `--errors SPLIT`: each false positive by ATT&CK ID with the mentions that made it and whether the
 * annotators marked that mention (linked to another ID, or left unlinked) or not at all; each miss with
 * the threat names the annotators marked in the document.
 */
function writeErrors(doc: AnnoctrDoc, tags: Tag[], gold: Set<string>, predicted: Set<string>, byEntity: ByEntity): void {
  const annotated = new Set(THREAT_LABELS.flatMap((label) => (doc.mentions[label] ?? []).map((m) => normaliseMention(m.text))));
  const count = (id: string, slug: string, key: keyof Counts): void => {
    const entry = byEntity.get(id) ?? { ...zero(), slug };
    if (slug !== '') entry.slug = slug;
    entry[key] += 1;
    byEntity.set(id, entry);
  };
  for (const id of predicted) {
    const tag = tags.find((candidate) => candidate.ids?.attack === id);
    if (gold.has(id)) {
      count(id, tag?.slug ?? '', 'tp');
      continue;
    }
    count(id, tag?.slug ?? '', 'fp');
    const marked = (tag?.mentions ?? []).some((mention) => annotated.has(normaliseMention(mention)));
    const cause = marked ? 'mention annotated, linked elsewhere or not at all' : 'mention not annotated';
    process.stdout.write(`  FP ${id} ${tag?.slug ?? ''} [${(tag?.mentions ?? []).join(' | ')}] (${cause}) in ${doc.id}\n`);
    for (const mention of tag?.mentions ?? []) process.stdout.write(`     … ${contextOf(doc.text, mention)}\n`);
  }
  const names = [...new Set(THREAT_LABELS.flatMap((label) => (doc.mentions[label] ?? []).map((m) => m.text.trim())))].sort();
  for (const id of gold) {
    if (predicted.has(id)) continue;
    count(id, '', 'fn');
    process.stdout.write(`  FN ${id} in ${doc.id}; annotated names: ${names.join(', ')}\n`);
  }
}

function writeByEntity(byEntity: ByEntity): void {
  const rows = [...byEntity.entries()].filter(([, counts]) => counts.fp + counts.fn > 0);
  rows.sort(([x, a], [y, b]) => b.fp + b.fn - (a.fp + a.fn) || x.localeCompare(y, 'en'));
  process.stdout.write(`\n  errors by entity (tp / fp / fn)\n`);
  for (const [id, counts] of rows) process.stdout.write(`    ${id} ${counts.slug.padEnd(40)} ${counts.tp} / ${counts.fp} / ${counts.fn}\n`);
}

function evalAnnoctr(path: string, tagger: ReturnType<typeof createTagger>, errorsFor: string | undefined): void {
  const docs = readJsonl<AnnoctrDoc>(path).filter((doc) => doc.split === 'train' || doc.split === 'dev');
  for (const split of ['train', 'dev']) {
    const counts = { actorId: zero(), softwareId: zero(), actorMention: zero(), softwareMention: zero() };
    const subset = docs.filter((doc) => doc.split === split);
    const byEntity: ByEntity = new Map();
    if (errorsFor === split) process.stdout.write(`\nAnnoCTR ${split} errors by ATT&CK ID\n`);
    for (const doc of subset) {
      const { tags } = tagger.tag({ title: '', text: doc.text });
      const goldGroups = new Set((doc.linked_ids.GROUP ?? []).filter((id) => /^G\d{4}$/.test(id)));
      const goldSoftware = new Set([...(doc.linked_ids.MALWARE ?? []), ...(doc.linked_ids.TOOL ?? [])].filter((id) => /^S\d{4}$/.test(id)));
      const predictedGroups = ids(tags, 'actor', /^G\d{4}$/);
      const predictedSoftware = ids(tags, 'malware', /^S\d{4}$/);
      addSets(counts.actorId, predictedGroups, goldGroups);
      addSets(counts.softwareId, predictedSoftware, goldSoftware);
      if (errorsFor === split) writeErrors(doc, tags, new Set([...goldGroups, ...goldSoftware]), new Set([...predictedGroups, ...predictedSoftware]), byEntity);
      const goldGroupMentions = new Set((doc.mentions.GROUP ?? []).map((m) => normaliseMention(m.text)));
      const goldSoftwareMentions = new Set([...(doc.mentions.MALWARE ?? []), ...(doc.mentions.TOOL ?? [])].map((m) => normaliseMention(m.text)));
      addSets(counts.actorMention, mentions(tags, 'actor'), goldGroupMentions);
      addSets(counts.softwareMention, mentions(tags, 'malware'), goldSoftwareMentions);
    }
    if (errorsFor === split) writeByEntity(byEntity);
    process.stdout.write(`\nAnnoCTR ${split} (${subset.length} documents)\n`);
    process.stdout.write(`  actor by ATT&CK ID        ${prf(counts.actorId)}\n`);
    process.stdout.write(`  malware/tool by ATT&CK ID ${prf(counts.softwareId)}\n`);
    process.stdout.write(`  actor by mention          ${prf(counts.actorMention)}\n`);
    process.stdout.write(`  malware/tool by mention   ${prf(counts.softwareMention)}\n`);
  }
}

function evalCasie(path: string, tagger: ReturnType<typeof createTagger>): void {
  const docs = readJsonl<CasieDoc>(path);
  for (const [label, keep] of [
    ['tune (even ids)', (id: number) => id % 2 === 0],
    ['held-out (odd ids)', (id: number) => id % 2 === 1],
  ] as const) {
    const subset = docs.filter((doc) => keep(Number(doc.id)));
    const micro = zero();
    const perClass = new Map(CASIE_TYPES.map((type) => [type, zero()]));
    const cve = zero();
    let cveExact = 0;
    for (const doc of subset) {
      const { tags } = tagger.tag({ title: doc.title ?? '', text: doc.text });
      const predicted = new Set(tags.filter((tag) => tag.type === 'incident' && CASIE_TYPES.includes(tag.value)).map((tag) => tag.value));
      const gold = new Set(doc.event_types);
      addSets(micro, predicted, gold);
      for (const type of CASIE_TYPES) {
        addSets(perClass.get(type) as Counts, predicted.has(type) ? new Set([type]) : new Set(), gold.has(type) ? new Set([type]) : new Set());
      }
      const predictedCves = new Set(tags.filter((tag) => tag.type === 'cve').map((tag) => tag.value));
      const goldCves = new Set(doc.cves_in_text.map((id) => id.toUpperCase()));
      addSets(cve, predictedCves, goldCves);
      if (predictedCves.size === goldCves.size && [...goldCves].every((id) => predictedCves.has(id))) cveExact += 1;
    }
    process.stdout.write(`\nCASIE ${label} (${subset.length} documents)\n`);
    process.stdout.write(`  incident micro            ${prf(micro)}\n`);
    for (const [type, counts] of perClass) process.stdout.write(`    ${type.padEnd(24)}${prf(counts)}\n`);
    process.stdout.write(`  CVE IDs                   ${prf(cve)}; exact set match ${cveExact}/${subset.length}\n`);
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  const flag = argv.indexOf('--corpus');
  const corpus = flag >= 0 && argv[flag + 1] ? resolve(argv[flag + 1] as string) : resolve(repoRoot, '../shared/corpus/tagging');
  const errorsFlag = argv.indexOf('--errors');
  // Error listings are for tuning: on the train split; dev stays unseen.
  const errorsFor = errorsFlag >= 0 ? (argv[errorsFlag + 1] ?? 'train') : undefined;
  const annoctr = join(corpus, 'annoctr/gold-dev.jsonl');
  const casie = join(corpus, 'casie/gold-dev.jsonl');
  if (!existsSync(annoctr) && !existsSync(casie)) {
    process.stdout.write(`eval:tags skipped: no tagging corpus at ${corpus} (pass --corpus DIR)\n`);
    return;
  }
  const started = performance.now();
  const tagger = createTagger();
  process.stdout.write(`tagger start-up ${(performance.now() - started).toFixed(0)} ms\n`);
  if (existsSync(annoctr)) evalAnnoctr(annoctr, tagger, errorsFor);
  else process.stdout.write(`AnnoCTR skipped: ${annoctr} not found\n`);
  if (existsSync(casie)) evalCasie(casie, tagger);
  else process.stdout.write(`CASIE skipped: ${casie} not found\n`);
}

main();
