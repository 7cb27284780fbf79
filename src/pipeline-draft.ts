/**
 * The CPU-bound part of ingesting one item: page extraction, tagging and the article draft. No I/O and no
 * store, so it runs in a worker thread (src/pipeline-pool.ts) as well as on the main one.
 */
import { toSecwireError } from './errors.js';
import { extractArticle } from './extract/index.js';
import { rulesByName } from './extract/rules.js';
import { sanitizeArticleHtml } from './extract/sanitize.js';
import { htmlToText } from './extract/text.js';
import { summarize } from './feeds/summary.js';
import { buildDraft, type ItemIdentity } from './store/draft.js';
import type { ArticleDraft } from './store/types.js';
import type { Tagger } from './tagging/index.js';
import type { Extracted, FeedItem, SourceConfig } from './types.js';

export interface ItemJob {
  source: Pick<SourceConfig, 'id' | 'url' | 'tags' | 'rules'>;
  item: FeedItem;
  identity: ItemIdentity;
  /** The article page, when it was wanted and fetched. */
  page: { url: string; html: string } | null;
  /** Why a wanted page is missing ("Kind: message"). */
  pageError: string | null;
}

export interface ItemDraft {
  draft: ArticleDraft;
  extracted: boolean;
  /** Why the page gave no article ("Kind: message"), null when it did or was not wanted. */
  extractError: string | null;
}

export function draftItem(tagger: Tagger, job: ItemJob): ItemDraft {
  let extracted: Extracted | null = null;
  let extractError = job.pageError;
  if (job.page) {
    try {
      extracted = extractArticle(job.page.html, job.page.url, { rules: job.source.rules ? rulesByName(job.source.rules) : null, feedPublished: job.item.published });
    } catch (thrown) {
      const error = toSecwireError(thrown);
      extractError = `${error.kind}: ${error.message}`;
    }
  }
  return { draft: draftFor(tagger, job, extracted, extractError), extracted: extracted !== null, extractError };
}

function draftFor(tagger: Tagger, job: ItemJob, extracted: Extracted | null, extractError: string | null): ArticleDraft {
  const { source, item } = job;
  const feedHtml = item.content ?? item.summary;
  const feedText = feedHtml ? htmlToText(feedHtml) : '';
  // Without content the feed HTML is the summary: its text is already at hand.
  const summaryText = !item.summary ? null : item.summary === feedHtml ? feedText : htmlToText(item.summary);
  const summarySource = summaryText ?? (extracted?.description || extracted?.text || feedText);
  const tagged = tagger.tag(
    { title: item.title, text: extracted?.text || feedText, html: extracted?.html ?? null },
    { forcedTags: [...source.tags, ...(item.tags ?? []), `source:${source.id}`] },
  );
  return buildDraft({
    identity: job.identity,
    item,
    extracted,
    extractError,
    feedText,
    // Feed HTML is as untrusted as any page: it is stored, and served again in feeds and the API, only sanitized.
    feedHtml: feedHtml ? sanitizeArticleHtml(feedHtml, item.link ?? source.url) || null : null,
    summary: summarySource ? summarize(summarySource) : null,
    tags: tagged.tags,
    iocs: tagged.iocs,
  });
}
