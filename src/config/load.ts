import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { DEFAULT_FETCH_CONFIG } from '../fetchers/defaults.js';
import type { FetchConfig } from '../fetchers/types.js';
import { configDir } from '../paths.js';
import type { SourceConfig } from '../types.js';
import { configSchema, sourcesFileSchema, type RawConfig } from './schema.js';

export interface WatchlistDefinition {
  name: string;
  match: { tags?: string[]; query?: string };
}

export interface Config {
  /** The file the configuration came from, or null for built-in defaults. */
  file: string | null;
  database: string;
  server: { host: string; port: number; baseUrl: string };
  schedule: string;
  /**
   * `workers`: threads that extract and tag beside the main one; 0 keeps it all on the main thread; unset, the pipeline's default.
   * `articleSources`: sources whose article pages are fetched and drafted at the same time.
   */
  fetch: FetchConfig & { maxIntervalMs: number; articleConcurrency: number; articleSources: number; workers?: number };
  sources: SourceConfig[];
  watchlists: WatchlistDefinition[];
  retention: { days: number };
  /** Story clustering overrides (config key `stories`); the store's defaults fill the rest. */
  stories: { windowDays?: number; materialChange?: number; sameTextJaccard?: number; duplicateJaccard?: number; candidatesPerKey?: number; maxCandidates?: number; maxArticles?: number };
  /** Search plan overrides (config key `search`): `relevanceWindow` newest matches ranked, `walkBudget` rows a date-ordered walk checks; the store's defaults fill the rest. */
  search: { relevanceWindow?: number; walkBudget?: number };
  feeds: { defaultLimit: number; maxLimit: number; title: string };
  log: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent' };
}

export const DEFAULTS = {
  database: './data/secwire.db',
  host: '127.0.0.1',
  port: 8080,
  schedule: '*/15 * * * *',
  maxIntervalMinutes: 24 * 60,
  articleConcurrency: 8,
  articleSources: 8,
  retentionDays: 365,
  feedDefaultLimit: 50,
  feedMaxLimit: 500,
  feedTitle: 'secwire',
} as const;

export function shippedSourcesFile(): string {
  return resolve(configDir(), 'sources.yaml');
}

interface LoadOptions {
  /** --config */
  configPath?: string | undefined;
  /** --db */
  dbPath?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Finds, parses and validates the configuration; every problem is a ConfigError naming file, line and key. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = locateConfigFile(options.configPath, env, cwd);
  const raw: RawConfig = file ? parseYamlFile(file, configSchema) : {};
  const sources = resolveSources(raw, file);
  const schedule = raw.schedule ?? DEFAULTS.schedule;
  const port = options.port ?? envPort(env) ?? raw.server?.port ?? DEFAULTS.port;
  const host = options.host ?? env['SECWIRE_HOST'] ?? raw.server?.host ?? DEFAULTS.host;
  return {
    file,
    database: resolve(cwd, options.dbPath ?? env['SECWIRE_DB'] ?? raw.database ?? DEFAULTS.database),
    server: { host, port, baseUrl: (raw.server?.baseUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '') },
    schedule,
    fetch: {
      ...DEFAULT_FETCH_CONFIG,
      ...stripUndefined({
        userAgent: raw.fetch?.userAgent,
        timeoutMs: raw.fetch?.timeoutMs,
        headersTimeoutMs: raw.fetch?.headersTimeoutMs,
        maxBytes: raw.fetch?.maxBytes,
        maxRedirects: raw.fetch?.maxRedirects,
        concurrency: raw.fetch?.concurrency,
        perHostConcurrency: raw.fetch?.perHostConcurrency,
        perHostDelayMs: raw.fetch?.perHostDelayMs,
        allowPrivateHosts: raw.fetch?.allowPrivateHosts,
        proxy: raw.fetch?.proxy,
      }),
      maxIntervalMs: (raw.fetch?.maxIntervalMinutes ?? DEFAULTS.maxIntervalMinutes) * 60_000,
      articleConcurrency: raw.fetch?.articleConcurrency ?? DEFAULTS.articleConcurrency,
      articleSources: raw.fetch?.articleSources ?? DEFAULTS.articleSources,
      ...(raw.fetch?.workers !== undefined ? { workers: raw.fetch.workers } : {}),
    },
    sources: sources.map((source) => ({ ...source, schedule: source.schedule || schedule })),
    watchlists: (raw.watchlists ?? []).map((w) => ({ name: w.name, match: stripUndefined(w.match) })),
    retention: { days: raw.retention?.days ?? DEFAULTS.retentionDays },
    stories: stripUndefined(raw.stories ?? {}),
    search: stripUndefined(raw.search ?? {}),
    feeds: {
      defaultLimit: raw.feeds?.defaultLimit ?? DEFAULTS.feedDefaultLimit,
      maxLimit: raw.feeds?.maxLimit ?? DEFAULTS.feedMaxLimit,
      title: raw.feeds?.title ?? DEFAULTS.feedTitle,
    },
    log: { level: raw.log?.level ?? 'info' },
  };
}

function locateConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | null {
  const named = explicit ?? env['SECWIRE_CONFIG'];
  if (named) {
    const file = resolve(cwd, named);
    if (!existsSync(file)) throw new ConfigError(file, null, '(file)', 'configuration file not found');
    return file;
  }
  const local = resolve(cwd, 'secwire.yaml');
  return existsSync(local) ? local : null;
}

function envPort(env: NodeJS.ProcessEnv): number | undefined {
  const value = env['SECWIRE_PORT'];
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('$SECWIRE_PORT', null, 'SECWIRE_PORT', `"${value}" is not a port number`);
  return port;
}

/** Sources with an empty schedule take the configuration's default schedule. */
function resolveSources(raw: RawConfig, file: string | null): SourceConfig[] {
  if (raw.sources === undefined) return loadShippedSources();
  const list: SourceConfig[] = [];
  for (const entry of raw.sources) {
    if ('include' in entry) list.push(...loadShippedSources());
    else list.push({ ...entry, schedule: entry.schedule ?? '' });
  }
  const seen = new Set<string>();
  for (const source of list) {
    if (seen.has(source.id)) throw new ConfigError(file ?? shippedSourcesFile(), null, `sources.${source.id}`, 'duplicate source id');
    seen.add(source.id);
  }
  return list;
}

export function loadShippedSources(): SourceConfig[] {
  const file = shippedSourcesFile();
  const parsed = parseYamlFile(file, sourcesFileSchema);
  return parsed.sources.map((source) => ({ ...source, schedule: source.schedule ?? '' }));
}

/** Parses a YAML file and validates it; the first problem becomes a ConfigError with the line of the offending key. */
export function parseYamlFile<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, null, '(file)', `cannot read: ${(error as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const line = syntaxError.linePos?.[0]?.line ?? lineCounter.linePos(syntaxError.pos[0]).line;
    throw new ConfigError(file, line, '(syntax)', syntaxError.message.split('\n')[0] ?? 'invalid YAML');
  }
  const data: unknown = doc.toJS() ?? {};
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  let path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let problem = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    path = [...path, key];
    problem = `unknown key "${key}"`;
  } else if (issue.code === 'invalid_union') {
    problem = 'is neither "include: default" nor a valid source: ' + describeUnionIssue(issue);
  }
  const line = lineOf(doc, lineCounter, path);
  throw new ConfigError(file, line, keyPathLabel(path, data), problem);
}

function describeUnionIssue(issue: z.core.$ZodIssueInvalidUnion): string {
  const branches = issue.errors.map((errors) => errors[0]).filter((e) => e !== undefined);
  const best = branches.find((e) => e.code !== 'unrecognized_keys' || !e.keys.includes('include')) ?? branches[0];
  if (!best) return issue.message;
  const where = best.path.length > 0 ? `${best.path.join('.')}: ` : '';
  return best.code === 'unrecognized_keys' ? `${where}unknown key "${best.keys[0]}"` : `${where}${best.message}`;
}

/** "sources[3].schedule" reads better as "sources.nvd-feed.schedule" when the entry has an id. */
function keyPathLabel(path: (string | number)[], data: unknown): string {
  const parts: string[] = [];
  let cursor: unknown = data;
  for (const segment of path) {
    if (typeof segment === 'number') {
      const entry = Array.isArray(cursor) ? (cursor[segment] as unknown) : undefined;
      const id = entry && typeof entry === 'object' && 'id' in entry ? (entry as { id: unknown }).id : entry && typeof entry === 'object' && 'name' in entry ? (entry as { name: unknown }).name : undefined;
      parts.push(typeof id === 'string' ? `[${segment}](${id})` : `[${segment}]`);
      cursor = entry;
    } else {
      parts.push(parts.length ? `.${segment}` : segment);
      cursor = cursor && typeof cursor === 'object' ? (cursor as Record<string, unknown>)[segment] : undefined;
    }
  }
  return parts.join('') || '(root)';
}

/** The 1-based line of the deepest node of `path` that exists, pointing at the key where there is one. */
function lineOf(doc: Document, lineCounter: LineCounter, path: (string | number)[]): number | null {
  let node: unknown = doc.contents;
  let offset: number | null = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === segment);
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items) && typeof segment === 'number') {
      node = (node as { items: unknown[] }).items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset === null ? null : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | null {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : null;
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
