/**
 * Shared by `npm run eval:stories` and the story tests: runs labelled articles through a real (in-memory)
 * store, one source per outlet, in publication order, and scores the stories it makes pair by pair.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { SecwireError } from '../../src/errors.js';
import { openStore, type StoreStoryOptions } from '../../src/store/store.js';
import type { ArticleDraft, FetchStateUpdate } from '../../src/store/types.js';
import type { Tag } from '../../src/types.js';

export interface LabelledArticle {
  id: string;
  event: string;
  source: string;
  published: string;
  title: string;
  text: string;
}

const labelledSchema = z.object({
  articles: z.array(
    z.object({
      id: z.string(),
      event: z.string(),
      source: z.string(),
      published: z.union([z.string(), z.date()]).transform((d) => (d instanceof Date ? d.toISOString() : d)),
      title: z.string(),
      text: z.string(),
    }),
  ),
});

export function loadLabelledSet(file: string): LabelledArticle[] {
  const parsed = labelledSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new SecwireError('ConfigError', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { file });
  return parsed.data.articles;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** A draft as the pipeline would build it from a feed item with full text. */
export function labelledDraft(article: LabelledArticle, tags: Tag[]): ArticleDraft {
  const url = `https://${article.source}.example/${encodeURIComponent(article.id)}`;
  return {
    itemKey: `guid:${article.id}`,
    guid: article.id,
    url,
    canonicalUrl: url,
    title: article.title,
    authors: [],
    published: new Date(article.published).toISOString(),
    publishedSource: 'feed',
    feedPublished: new Date(article.published).toISOString(),
    updated: null,
    lang: 'en',
    image: null,
    summary: null,
    text: article.text,
    html: null,
    feedHash: hash(`${article.title}\n${article.text}`),
    contentHash: hash(`${article.title}\n${article.text}`),
    extractError: null,
    tags,
    iocs: [],
  };
}

export type TagFn = (title: string, text: string) => Tag[];

/** Label id -> story id, after ingesting every article in publication order (ties by id). */
export function clusterLabelled(articles: LabelledArticle[], tag: TagFn, options: Partial<StoreStoryOptions> = {}): Map<string, number> {
  const store = openStore(':memory:', { stories: options });
  try {
    const sources = [...new Set(articles.map((a) => a.source))];
    store.syncSources(sources.map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
    const ordered = [...articles].sort((a, b) => Date.parse(a.published) - Date.parse(b.published) || (a.id < b.id ? -1 : 1));
    const result = new Map<string, number>();
    for (const article of ordered) {
      const at = new Date(article.published).toISOString();
      const state: FetchStateUpdate = { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'eval', durationMs: 0 };
      const draft = labelledDraft(article, tag(article.title, article.text));
      store.ingest(article.source, [draft], state);
      const stored = store.articleByUrl(draft.canonicalUrl);
      if (!stored?.story) throw new SecwireError('StoreError', `article ${article.id} has no story`);
      result.set(article.id, stored.story);
    }
    return result;
  } finally {
    store.close();
  }
}

export interface PairwiseScore {
  truePairs: number;
  falsePairs: number;
  missedPairs: number;
  precision: number;
  recall: number;
  falseMerges: [string, string][];
  missedMerges: [string, string][];
}

/** Pairwise precision and recall: every pair of articles is "same story" or not, in the labels and in the output. */
export function pairwiseScore(articles: LabelledArticle[], assigned: Map<string, number>): PairwiseScore {
  const score: PairwiseScore = { truePairs: 0, falsePairs: 0, missedPairs: 0, precision: 1, recall: 1, falseMerges: [], missedMerges: [] };
  for (let i = 0; i < articles.length; i += 1) {
    for (let j = i + 1; j < articles.length; j += 1) {
      const a = articles[i]!;
      const b = articles[j]!;
      const same = assigned.get(a.id) === assigned.get(b.id);
      const truth = a.event === b.event;
      if (same && truth) score.truePairs += 1;
      else if (same) score.falseMerges.push([a.id, b.id]);
      else if (truth) score.missedMerges.push([a.id, b.id]);
    }
  }
  score.falsePairs = score.falseMerges.length;
  score.missedPairs = score.missedMerges.length;
  score.precision = score.truePairs + score.falsePairs === 0 ? 1 : score.truePairs / (score.truePairs + score.falsePairs);
  score.recall = score.truePairs + score.missedPairs === 0 ? 1 : score.truePairs / (score.truePairs + score.missedPairs);
  return score;
}
