/** `secwire sources import FILE.opml` and `secwire sources export`: sources to and from feed readers. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document, isSeq, parseDocument } from 'yaml';
import { replaceConfigFile } from '../../config/write.js';
import { sourceSchema } from '../../config/schema.js';
import { SecwireError } from '../../errors.js';
import { parseOpml, renderOpml, type ImportedFeed } from '../../feeds/opml.js';
import { canonicalizeUrl } from '../../store/canonical-url.js';
import { loadCommandConfig, type CommonOptions } from '../context.js';
import { printJson, printLine } from '../output.js';

export interface SourcesImportOptions extends CommonOptions {
  dryRun?: boolean;
  json?: boolean;
}

export interface SourcesExportOptions extends CommonOptions {
  out?: string;
}

export interface NewSource {
  id: string;
  name: string;
  url: string;
}

export interface ImportPlan {
  added: NewSource[];
  /** Feeds already configured (same URL after canonicalisation). */
  existing: string[];
  /** Feeds whose URL secwire cannot fetch (not http/https). */
  invalid: { url: string; reason: string }[];
}

function kebab(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

function sameFeed(url: string): string {
  try {
    return canonicalizeUrl(url) ?? url;
  } catch {
    return url;
  }
}

/** Which OPML feeds become new sources, with ids unique among `taken` and names from titles or hosts. */
export function planImport(feeds: ImportedFeed[], configured: { id: string; url: string }[]): ImportPlan {
  const takenIds = new Set(configured.map((s) => s.id));
  const knownUrls = new Set(configured.map((s) => sameFeed(s.url)));
  const plan: ImportPlan = { added: [], existing: [], invalid: [] };
  for (const feed of feeds) {
    let url: URL;
    try {
      url = new URL(feed.xmlUrl);
    } catch {
      plan.invalid.push({ url: feed.xmlUrl, reason: 'not an absolute URL' });
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      plan.invalid.push({ url: feed.xmlUrl, reason: `${url.protocol} is not http or https` });
      continue;
    }
    const key = sameFeed(url.href);
    if (knownUrls.has(key)) {
      plan.existing.push(url.href);
      continue;
    }
    knownUrls.add(key);
    const name = feed.title ?? url.hostname.replace(/^www\./, '');
    const stem = kebab(name) || kebab(url.hostname) || 'feed';
    let id = /^[a-z0-9]/.test(stem) ? stem : `feed-${stem}`;
    for (let n = 2; takenIds.has(id); n += 1) id = `${stem}-${n}`;
    takenIds.add(id);
    const source = { id, name, url: url.href };
    const checked = sourceSchema.safeParse(source);
    if (!checked.success) {
      plan.invalid.push({ url: url.href, reason: checked.error.issues[0]?.message ?? 'invalid source' });
      continue;
    }
    plan.added.push(source);
  }
  return plan;
}

/** The configuration file to write: --config, $SECWIRE_CONFIG, else ./secwire.yaml (created when missing). */
function targetConfigFile(options: CommonOptions): string {
  const named = options.config ?? process.env['SECWIRE_CONFIG'];
  return resolve(named ?? 'secwire.yaml');
}

/**
 * Adds the plan's sources to the YAML text, keeping its comments and layout. A file without `sources:` used the
 * shipped list; it keeps it through `include: default`.
 */
export function mergeSourcesYaml(text: string, added: NewSource[]): string {
  // An empty file has no map to add to: start from an empty one.
  const doc = text.trim() ? parseDocument(text) : new Document({});
  if (doc.errors[0]) throw new SecwireError('ConfigError', `cannot update the configuration: ${doc.errors[0].message.split('\n')[0]}`);
  let sources = doc.get('sources');
  if (!isSeq(sources)) {
    doc.set('sources', doc.createNode([{ include: 'default' }]));
    sources = doc.get('sources');
  }
  if (!isSeq(sources)) throw new SecwireError('ConfigError', 'cannot update the configuration: sources is not a list');
  for (const source of added) sources.add(doc.createNode(source));
  return doc.toString({ lineWidth: 0 });
}

export function sourcesImportCommand(file: string, options: SourcesImportOptions): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SecwireError('UsageError', `cannot read ${file}: ${(error as Error).message}`);
  }
  const config = loadCommandConfig(options);
  const plan = planImport(parseOpml(text), config.sources);
  const target = config.file ?? targetConfigFile(options);
  if (!options.dryRun && plan.added.length > 0) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    replaceConfigFile(target, mergeSourcesYaml(current, plan.added), 'import');
  }
  if (options.json) printJson({ file: target, dryRun: options.dryRun === true, ...plan });
  else {
    for (const source of plan.added) printLine(`${options.dryRun ? 'would add' : 'added'}  ${source.id}  ${source.url}`);
    for (const invalid of plan.invalid) process.stderr.write(`skipped ${invalid.url}: ${invalid.reason}\n`);
    process.stderr.write(`${plan.added.length} added, ${plan.existing.length} already configured, ${plan.invalid.length} skipped${options.dryRun ? ' (dry run)' : ''}: ${target}\n`);
  }
  return 0;
}

export function sourcesExportCommand(options: SourcesExportOptions): number {
  const config = loadCommandConfig(options);
  const opml = renderOpml(`${config.feeds.title} sources`, [
    { title: `${config.feeds.title} sources`, outlines: config.sources.map((s) => ({ title: s.name, xmlUrl: s.url })) },
  ]);
  if (options.out) writeFileSync(options.out, opml);
  else process.stdout.write(opml);
  return 0;
}
