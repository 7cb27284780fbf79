/** Every feed secwire generates, for `GET /opml`, `secwire export --format opml` and the static-site export. */
import type { FeedSpec, RouteContext } from './routes.js';
import { feedUrl } from './routes.js';
import { renderOpml, type OpmlGroup } from './opml.js';
import type { OutputFormat } from './types.js';

export const DEFAULT_TOP_TAGS = 30;

export interface CatalogFeed {
  spec: FeedSpec;
  title: string;
}

export interface FeedCatalog {
  all: CatalogFeed;
  sources: CatalogFeed[];
  watchlists: CatalogFeed[];
  tags: CatalogFeed[];
}

/** The merged wire, each configured source, each watchlist and the `topTags` most used tags. */
export function feedCatalog(context: RouteContext, topTags: number = DEFAULT_TOP_TAGS): FeedCatalog {
  const { config, store } = context;
  const name = config.feeds.title;
  return {
    all: { spec: { kind: 'all' }, title: `${name} — all security news` },
    sources: config.sources.map((s) => ({ spec: { kind: 'source', source: s.id }, title: `${name} — source: ${s.name}` })),
    watchlists: config.watchlists.map((w) => ({ spec: { kind: 'watchlist', name: w.name }, title: `${name} — watchlist: ${w.name}` })),
    tags: store.tagCounts(undefined, undefined, topTags).map((t) => ({ spec: { kind: 'tag', tag: t.slug }, title: `${name} — ${t.type}: ${t.name}` })),
  };
}

export function catalogFeeds(catalog: FeedCatalog): CatalogFeed[] {
  return [catalog.all, ...catalog.sources, ...catalog.watchlists, ...catalog.tags];
}

/** The catalog as OPML, one folder per kind of feed. */
export function catalogOpml(context: RouteContext, catalog: FeedCatalog, format: OutputFormat = 'atom', baseUrl = context.config.server.baseUrl): string {
  const outline = (feed: CatalogFeed): OpmlGroup['outlines'][number] => ({ title: feed.title, xmlUrl: feedUrl(baseUrl, feed.spec, format), htmlUrl: `${baseUrl}/` });
  const name = context.config.feeds.title;
  return renderOpml(`${name} feeds`, [
    { title: `${name} — everything`, outlines: [outline(catalog.all)] },
    { title: `${name} — sources`, outlines: catalog.sources.map(outline) },
    { title: `${name} — watchlists`, outlines: catalog.watchlists.map(outline) },
    { title: `${name} — top tags`, outlines: catalog.tags.map(outline) },
  ]);
}
