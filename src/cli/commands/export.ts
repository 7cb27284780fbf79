/**
 * `secwire export --format rss|atom|json|markdown|opml [--tag T]... [--source ID] [--query Q] [--limit N] [--out PATH]`
 *
 * Feeds go to stdout or a file; `--out DIR` writes a static site (every feed, an OPML file and an index page)
 * for any static host. Markdown writes one file per article for Hexo, Hugo or Jekyll.
 */
import { EXPORT_FORMATS, type ExportFormat } from '../help.js';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config/load.js';
import { SecwireError } from '../../errors.js';
import { catalogFeeds, catalogOpml, feedCatalog, type CatalogFeed } from '../../feeds/catalog.js';
import { storeStoryLookup } from '../../feeds/entries.js';
import { articleToMarkdown, markdownFileName } from '../../feeds/markdown.js';
import { renderOpml } from '../../feeds/opml.js';
import { feedPath, feedUrl, parseTagParams, renderSelectedFeed, selectFeed, type FeedSpec, type RouteContext } from '../../feeds/routes.js';
import type { OutputFormat } from '../../feeds/types.js';
import { escapeXml } from '../../feeds/xml.js';
import { parseQuery } from '../../store/search-query.js';
import { openStore, type Store } from '../../store/store.js';
import type { Article } from '../../types.js';
import { loadCommandConfig, type CommonOptions } from '../context.js';

export type { ExportFormat } from '../help.js';

export interface ExportOptions extends CommonOptions {
  format: ExportFormat;
  tag?: string[];
  source?: string;
  query?: string;
  limit?: number;
  out?: string;
  /** Where the exported site will be served from: feed self links and ids use it. */
  baseUrl?: string;
  full?: boolean;
}

/** The one feed the filters select: all, a source, a tag, or a search for any combination. */
export function exportSpec(options: Pick<ExportOptions, 'tag' | 'source' | 'query'>): FeedSpec {
  const tags = parseTagParams(options.tag ?? []);
  const query = options.query?.trim() ?? '';
  if (!query && tags.length === 0 && options.source) return { kind: 'source', source: options.source };
  if (!query && !options.source && tags.length === 1) return { kind: 'tag', tag: tags[0]! };
  if (!query && !options.source && tags.length === 0) return { kind: 'all' };
  const sourceTerm = options.source ? `source:${options.source}` : '';
  return { kind: 'search', query: [query, sourceTerm].filter(Boolean).join(' '), tags };
}

function isDirectoryTarget(out: string): boolean {
  return out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory());
}

function writeFile(file: string, body: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
}

/** Articles newest first for the filters, page by page up to `limit` (no limit: all of them). */
export function* exportArticles(store: Store, spec: FeedSpec, limit: number | undefined): Generator<Article> {
  const pageSize = 200;
  let cursor: string | undefined;
  let remaining = limit ?? Number.POSITIVE_INFINITY;
  const match = spec.kind === 'search' ? parseQuery(spec.query) : undefined;
  if (match) match.sort ??= 'date';
  while (remaining > 0) {
    const page = Math.min(pageSize, remaining);
    const base = { limit: page, cursor };
    let articles: Article[];
    let next: string | null;
    if (spec.kind === 'search') {
      const result = store.search({ ...base, tags: spec.tags, match });
      articles = result.hits.map((hit) => hit.article);
      next = result.nextCursor;
    } else if (spec.kind === 'watchlist') {
      throw new SecwireError('UsageError', 'markdown export of a watchlist is not supported; use --tag, --source or --query');
    } else {
      const result = store.articles({ ...base, source: spec.kind === 'source' ? spec.source : undefined, tags: spec.kind === 'tag' ? [spec.tag] : undefined });
      articles = result.articles;
      next = result.nextCursor;
    }
    yield* articles;
    remaining -= articles.length;
    if (!next) return;
    cursor = next;
  }
}

function exportMarkdown(config: Config, store: Store, spec: FeedSpec, options: ExportOptions): number {
  if (!options.out) throw new SecwireError('UsageError', 'markdown export writes one file per article: give --out DIR');
  mkdirSync(options.out, { recursive: true });
  const names = new Map(config.sources.map((s) => [s.id, s.name]));
  let written = 0;
  for (const article of exportArticles(store, spec, options.limit)) {
    writeFileSync(join(options.out, markdownFileName(article)), articleToMarkdown(article, store.articleTags(article.id), names.get(article.source) ?? article.source));
    written += 1;
  }
  process.stderr.write(`${written} articles written to ${options.out}\n`);
  return 0;
}

/** The feed's URL path relative to the site root (for links). */
function staticFeedHref(spec: FeedSpec, format: OutputFormat): string {
  return `${feedPath(spec).path.replace(/^\//, '')}.${format}`;
}

/** Where a static host looks for that URL: the decoded path. */
function staticFeedFile(spec: FeedSpec, format: OutputFormat): string {
  return staticFeedHref(spec, format).split('/').map(decodeURIComponent).join('/');
}

function indexPage(config: Config, feeds: CatalogFeed[], format: OutputFormat): string {
  const items = feeds.map((feed) => `<li><a href="${escapeXml(staticFeedHref(feed.spec, format))}">${escapeXml(feed.title)}</a></li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(config.feeds.title)} feeds</title></head>
<body><h1>${escapeXml(config.feeds.title)} feeds</h1>
<p>Every feed in ${format === 'json' ? 'JSON Feed' : format.toUpperCase()}; <a href="opml.xml">OPML</a> to subscribe to all at once.</p>
<ul>
${items}
</ul></body></html>
`;
}

function exportStaticSite(context: RouteContext, feeds: CatalogFeed[], format: OutputFormat, options: ExportOptions, baseUrl: string): number {
  const out = options.out!;
  const feedOptions = { limit: options.limit ?? context.config.feeds.defaultLimit, full: options.full === true, stories: true };
  for (const feed of feeds) {
    const rendered = renderSelectedFeed(context.config, feed.spec, format, selectFeed(context, feed.spec, feedOptions), baseUrl);
    writeFile(join(out, staticFeedFile(feed.spec, format)), rendered.body);
  }
  const outlines = feeds.map((feed) => ({ title: feed.title, xmlUrl: feedUrl(baseUrl, feed.spec, format), htmlUrl: `${baseUrl}/` }));
  writeFile(join(out, 'opml.xml'), renderOpml(`${context.config.feeds.title} feeds`, [{ title: `${context.config.feeds.title} feeds`, outlines }]));
  writeFile(join(out, 'index.html'), indexPage(context.config, feeds, format));
  process.stderr.write(`${feeds.length} feeds written to ${out}\n`);
  return 0;
}

export function exportCommand(options: ExportOptions): number {
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) throw new SecwireError('UsageError', `--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) throw new SecwireError('UsageError', '--limit must be a positive integer');
  const config = loadCommandConfig(options);
  const baseUrl = (options.baseUrl ?? config.server.baseUrl).replace(/\/+$/, '');
  const store = openStore(config.database, { search: config.search });
  try {
    store.syncSources(config.sources);
    const context: RouteContext = { config: { ...config, server: { ...config.server, baseUrl } }, store, stories: storeStoryLookup(store) };
    const spec = exportSpec(options);
    if (options.format === 'markdown') return exportMarkdown(config, store, spec, options);
    if (options.format === 'opml') {
      const opml = catalogOpml(context, feedCatalog(context));
      if (options.out) writeFile(options.out, opml);
      else process.stdout.write(opml);
      return 0;
    }
    const format = options.format;
    if (options.out && isDirectoryTarget(options.out)) {
      const filtered = spec.kind !== 'all';
      const feeds = filtered ? [{ spec, title: selectFeed(context, spec, { limit: 1, full: false, stories: true }).title }] : catalogFeeds(feedCatalog(context));
      return exportStaticSite(context, feeds, format, options, baseUrl);
    }
    const selected = selectFeed(context, spec, { limit: options.limit ?? config.feeds.defaultLimit, full: options.full === true, stories: true });
    const body = renderSelectedFeed(context.config, spec, format, selected, baseUrl).body;
    if (options.out) writeFile(options.out, body);
    else process.stdout.write(body);
    return 0;
  } finally {
    store.close();
  }
}
