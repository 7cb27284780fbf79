/**
 * `secwire sources add URL [--id ID] [--yes]`: finds out what the URL is and adds it as a source. A feed (or
 * the feed a page links) is added at once; a guessed HTML listing or JSON mapping is printed to confirm and
 * only written with --yes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { replaceConfigFile } from '../../config/write.js';
import { sourceSchema } from '../../config/schema.js';
import { SecwireError } from '../../errors.js';
import { createHttpClient } from '../../fetchers/http.js';
import { DEFAULT_DETECT_OPTIONS, detectSource, type Detected } from '../../fetchers/kinds/suggest.js';
import { canonicalizeUrl } from '../../store/canonical-url.js';
import { slugify } from '../../tagging/slug.js';
import type { HtmlListingConfig, JsonMappingConfig } from '../../types.js';
import { commandLogger, loadCommandConfig, type CommonOptions } from '../context.js';
import { printJson, printLine } from '../output.js';
import { mergeSourcesYaml } from './opml.js';

export interface SourcesAddOptions extends CommonOptions {
  id?: string;
  name?: string;
  yes?: boolean;
  json?: boolean;
}

/** The source entry as it goes into secwire.yaml. */
export interface SourceEntry {
  id: string;
  name: string;
  url: string;
  kind?: 'html' | 'json';
  html?: HtmlListingConfig;
  json?: JsonMappingConfig;
}

export async function sourcesAddCommand(url: string, options: SourcesAddOptions): Promise<number> {
  const config = loadCommandConfig(options);
  const http = createHttpClient(config.fetch, commandLogger(options, config));
  let detected: Detected;
  try {
    detected = await detectSource(http, url, { ...DEFAULT_DETECT_OPTIONS, now: new Date() });
  } finally {
    await http.close();
  }
  const clash = config.sources.find((s) => sameUrl(s.url) === sameUrl(detected.url) && (s.kind === detected.kind));
  if (clash) throw new SecwireError('UsageError', `${detected.url} is already configured as source "${clash.id}"`, { source: clash.id });
  const entry = sourceEntry(detected, options, config.sources.map((s) => s.id));
  const confirmed = detected.kind === 'feed' || options.yes === true;
  const target = config.file ?? resolve(options.config ?? process.env['SECWIRE_CONFIG'] ?? 'secwire.yaml');
  if (confirmed) writeSource(target, entry);
  const sample = detected.kind === 'feed' ? [] : detected.sample;
  if (options.json) {
    printJson({ file: target, added: confirmed, detected: detected.kind === 'feed' ? `feed (${detected.via})` : detected.kind, source: entry, sample });
    return 0;
  }
  const how = detected.kind === 'feed' ? (detected.via === 'autodiscovery' ? 'a page that links a feed: the feed is used' : 'a feed') : `an ${detected.kind} listing; guessed mapping`;
  process.stderr.write(`${url}: ${how}\n`);
  printLine(stringify({ sources: [entry] }, { lineWidth: 0 }).trimEnd());
  if (sample.length > 0) process.stderr.write(`first items with this mapping:\n${sample.map((t) => `  - ${t}`).join('\n')}\n`);
  process.stderr.write(confirmed ? `added ${entry.id} to ${target}\n` : `not written: check the mapping, then run again with --yes to add it to ${target}\n`);
  return 0;
}

export function sourceEntry(detected: Detected, options: { id?: string | undefined; name?: string | undefined }, takenIds: string[]): SourceEntry {
  const host = new URL(detected.url).hostname.replace(/^www\./, '');
  const name = options.name ?? detected.title ?? host;
  const entry: SourceEntry = { id: options.id ?? uniqueId(slugify(name).slice(0, 48).replace(/-+$/, '') || slugify(host), takenIds), name, url: detected.url };
  if (detected.kind === 'html') Object.assign(entry, { kind: 'html', html: detected.html } satisfies Partial<SourceEntry>);
  if (detected.kind === 'json') Object.assign(entry, { kind: 'json', json: detected.json } satisfies Partial<SourceEntry>);
  const checked = sourceSchema.safeParse(entry);
  if (!checked.success) throw new SecwireError('UsageError', `cannot add ${detected.url}: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (takenIds.includes(entry.id)) throw new SecwireError('UsageError', `source id "${entry.id}" is already taken: choose another with --id`);
  return entry;
}

function uniqueId(stem: string, taken: string[]): string {
  const base = /^[a-z0-9]/.test(stem) ? stem : `source-${stem}`;
  let id = base;
  for (let n = 2; taken.includes(id); n += 1) id = `${base}-${n}`;
  return id;
}

function sameUrl(url: string): string {
  try {
    return canonicalizeUrl(url) ?? url;
  } catch {
    return url;
  }
}

function writeSource(target: string, entry: SourceEntry): void {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  replaceConfigFile(target, mergeSourcesYaml(current, [entry]), 'add');
}
