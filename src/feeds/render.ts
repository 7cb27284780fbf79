/** One entry point for the three output formats. */
import { renderAtom } from './atom.js';
import { renderJsonFeed } from './jsonfeed.js';
import { renderRss } from './rss.js';
import type { FeedEntry, FeedMeta, OutputFormat } from './types.js';

export const FEED_CONTENT_TYPES: Record<OutputFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** Renders entries in the order given (the caller sorts, newest first). Throws SecwireError on a bad date or URL. */
export function renderFeed(format: OutputFormat, meta: FeedMeta, entries: FeedEntry[]): string {
  switch (format) {
    case 'rss':
      return renderRss(meta, entries);
    case 'atom':
      return renderAtom(meta, entries);
    case 'json':
      return renderJsonFeed(meta, entries);
  }
}
