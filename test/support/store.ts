import { buildDraft, identifyItem } from '../../src/store/draft.js';
import type { Store } from '../../src/store/store.js';
import type { FeedItem, Tag } from '../../src/types.js';

/** Stores one feed item (its feed text, no page) as one fetch of its source at `at` would. */
export function ingestFeedItem(store: Store, sourceId: string, item: FeedItem, content: { text: string | null; summary?: string | null; tags: Tag[] }, at: string): void {
  const draft = buildDraft({ identity: identifyItem(sourceId, item), item, extracted: null, extractError: null, feedText: content.text, feedHtml: null, summary: content.summary ?? null, tags: content.tags, iocs: [] });
  store.ingest(sourceId, [draft], { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 't', durationMs: 1 });
}
