/**
 * The fixture site's data: fictional outlets and synthetic security news written for this project,
 * kept as YAML under `fixtures/site/` so tests of every stage can read the same expectations
 * (titles, dates, story groups, entities) that the pages and feeds are rendered from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { packageRoot } from '../paths.js';

export type FixtureFormat = 'rss2' | 'rss1' | 'atom' | 'json';

const isoWithOffset = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 instant with an offset');

const repostSchema = z.strictObject({
  /** `outlet/slug` of the original article. */
  of: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/),
  /** Query string appended to the original's URL in this outlet's feed. */
  query: z.string().min(1),
});

const outletSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  tagline: z.string().min(1),
  format: z.enum(['rss2', 'rss1', 'atom', 'json']),
  feedPath: z.string().startsWith('/'),
  /** `{yyyy}`, `{mm}`, `{dd}` and `{slug}` are replaced per article. */
  articlePath: z.string().startsWith('/').includes('{slug}'),
  /** True when the feed carries only excerpts, so a reader must fetch each page. */
  articles: z.boolean(),
  /** What the feed carries of each article. */
  feedContent: z.enum(['excerpt', 'summary', 'full']),
  encoding: z.enum(['utf-8', 'windows-1252']),
  lang: z.string().min(2),
  /** Offset the outlet writes its local dates in, e.g. `+09:00`. */
  utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/),
  /** Query string the outlet's feed appends to its own links (syndication tracking). */
  linkQuery: z.string().min(1).optional(),
  /** How RSS 2.0 dates are written: converted to GMT, with a numeric offset, or with US zone names. */
  feedDates: z.enum(['gmt', 'offset', 'named']).default('offset'),
  /** RSS 2.0 GUIDs: the permalink, or a WordPress `?p=123` shortlink that is not a permalink. */
  guids: z.enum(['permalink', 'post-id']).default('permalink'),
  /** Items of other outlets this outlet's feed links to. */
  reposts: z.array(repostSchema).default([]),
});

const articleSchema = z.strictObject({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  /** Label of the real-world event: articles sharing it are one story. */
  event: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string().min(1),
  dek: z.string().min(1),
  author: z.string().min(1),
  published: isoWithOffset,
  updated: isoWithOffset.optional(),
  /** The date the feed claims when it disagrees with the page. */
  feedPublished: isoWithOffset.optional(),
  /** The date the page shows when it disagrees with the real publication date. */
  pageDate: isoWithOffset.optional(),
  lang: z.string().min(2).optional(),
  image: z.string().regex(/^[a-z0-9-]+\.(jpg|png)$/).optional(),
  imageCaption: z.string().optional(),
  categories: z.array(z.string()).default([]),
  /** Tag slugs a reader would expect (INTERFACE.md "Tags"); facts of the text, not a tagger's output. */
  entities: z.array(z.string().regex(/^[a-z]+:.+$/)).default([]),
  /** When this is a copy of a press release or another article, the `outlet/slug` of the original. */
  syndicatedFrom: z.string().optional(),
  /** Paragraphs separated by blank lines; `## ` starts a heading, `> ` a quote. */
  body: z.string().min(1),
});

export type FixtureOutletData = z.infer<typeof outletSchema>;
export type FixtureArticleData = z.infer<typeof articleSchema>;

export interface FixtureArticle extends FixtureArticleData {
  outlet: string;
  lang: string;
  /** Path of the article page on the fixture site. */
  path: string;
  blocks: FixtureBlock[];
}

export interface FixtureBlock {
  kind: 'p' | 'h2' | 'quote';
  text: string;
}

export interface FixtureData {
  outlets: FixtureOutletData[];
  articles: FixtureArticle[];
}

export function fixtureSiteDir(): string {
  return join(packageRoot(), 'fixtures', 'site');
}

function readYaml(file: string): unknown {
  return parseYaml(readFileSync(file, 'utf8'));
}

function check<T>(schema: z.ZodType<T>, value: unknown, file: string, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = [where, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  throw new ConfigError(file, null, key, issue?.message ?? 'invalid');
}

export function articlePath(outlet: FixtureOutletData, article: Pick<FixtureArticleData, 'slug' | 'published' | 'pageDate'>): string {
  const [yyyy, mm, dd] = article.published.slice(0, 10).split('-');
  return outlet.articlePath
    .replace('{yyyy}', yyyy ?? '')
    .replace('{mm}', mm ?? '')
    .replace('{dd}', dd ?? '')
    .replace('{slug}', article.slug);
}

export function parseBlocks(body: string): FixtureBlock[] {
  return body
    .split(/\n\s*\n/)
    .map((chunk) => chunk.replace(/\s*\n\s*/g, ' ').trim())
    .filter((chunk) => chunk.length > 0)
    .map((chunk): FixtureBlock => {
      if (chunk.startsWith('## ')) return { kind: 'h2', text: chunk.slice(3) };
      if (chunk.startsWith('> ')) return { kind: 'quote', text: chunk.slice(2) };
      return { kind: 'p', text: chunk };
    });
}

/** The article's body as plain text, blocks separated by blank lines: what an extractor should return. */
export function expectedBodyText(article: FixtureArticle): string {
  return article.blocks.map((block) => block.text).join('\n\n');
}

let cached: FixtureData | null = null;

/** Loads and checks the fixture data once; throws ConfigError naming the file and key on bad data. */
export function loadFixtureData(dir: string = fixtureSiteDir()): FixtureData {
  if (cached && dir === fixtureSiteDir()) return cached;
  const outletsFile = join(dir, 'outlets.yaml');
  const outlets = check(z.strictObject({ outlets: z.array(outletSchema).min(1) }), readYaml(outletsFile), outletsFile, '').outlets;
  const byId = new Map(outlets.map((outlet) => [outlet.id, outlet]));
  const articles: FixtureArticle[] = [];
  const articlesDir = join(dir, 'articles');
  for (const name of readdirSync(articlesDir).filter((file) => file.endsWith('.yaml')).sort()) {
    const file = join(articlesDir, name);
    const outletId = name.replace(/\.yaml$/, '');
    const outlet = byId.get(outletId);
    if (!outlet) throw new ConfigError(file, null, 'outlet', `no outlet "${outletId}" in outlets.yaml`);
    const list = check(z.array(articleSchema), readYaml(file), file, '');
    for (const data of list) {
      articles.push({ ...data, outlet: outlet.id, lang: data.lang ?? outlet.lang, path: articlePath(outlet, data), blocks: parseBlocks(data.body) });
    }
  }
  checkReferences(outletsFile, outlets, articles);
  const data = { outlets, articles };
  if (dir === fixtureSiteDir()) cached = data;
  return data;
}

function checkReferences(file: string, outlets: FixtureOutletData[], articles: FixtureArticle[]): void {
  const keys = new Set<string>();
  for (const article of articles) {
    const key = `${article.outlet}/${article.slug}`;
    if (keys.has(key)) throw new ConfigError(file, null, key, 'duplicate article slug');
    keys.add(key);
  }
  for (const article of articles) {
    if (article.syndicatedFrom && !keys.has(article.syndicatedFrom)) {
      throw new ConfigError(file, null, `${article.outlet}/${article.slug}.syndicatedFrom`, `no article ${article.syndicatedFrom}`);
    }
  }
  for (const outlet of outlets) {
    for (const repost of outlet.reposts) {
      if (!keys.has(repost.of)) throw new ConfigError(file, null, `${outlet.id}.reposts`, `no article ${repost.of}`);
    }
  }
}

export function findArticle(data: FixtureData, key: string): FixtureArticle | undefined {
  return data.articles.find((article) => `${article.outlet}/${article.slug}` === key);
}

/** Story groups: event label -> `outlet/slug` of every article about it (the labelled set for clustering). */
export function storyGroups(data: FixtureData = loadFixtureData()): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const article of data.articles) {
    const list = groups.get(article.event) ?? [];
    list.push(`${article.outlet}/${article.slug}`);
    groups.set(article.event, list);
  }
  return groups;
}
