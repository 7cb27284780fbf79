/**
 * A synthetic archive for bench:serve, built through the store's own ingest path (drafts, tags, stories) with
 * the full-text index built once at the end (store/bulk-load.ts), as bench/search.ts builds its own: `count`
 * articles of ~2 KB over 40 outlets, 8 tags each, dates spread over five years. Deterministic, so two builds hold the same articles.
 */
import { bulkLoad, type BulkItem } from '../../src/store/bulk-load.js';
import { buildDraft, identifyItem } from '../../src/store/draft.js';
import type { Store } from '../../src/store/store.js';
import type { FeedItem, Tag } from '../../src/types.js';
import { prose, seededRandom } from './prose.js';

export const ARCHIVE_TAG_FEED = { type: 'actor', value: 'apt29' } as const;

const VENDORS = ['microsoft', 'fortinet', 'ivanti', 'cisco', 'citrix', 'vmware', 'apple', 'google', 'oracle', 'juniper'];
const ACTORS = ['apt29', 'apt28', 'lazarus-group', 'sandworm-team', 'volt-typhoon', 'scattered-spider', 'fin7', 'kimsuky', 'apt41', 'turla'];
const MALWARE = ['lockbit', 'blackcat', 'qilin', 'akira', 'clop', 'qakbot', 'emotet', 'cobalt-strike'];
const INCIDENTS = ['ransomware', 'data-breach', 'phishing', 'ddos', 'zero-day', 'patch-release', 'espionage'];
const SOURCES = Array.from({ length: 40 }, (_, i) => `outlet-${i}`);
const BATCH = 2000;

function tag(type: Tag['type'], value: string): Tag {
  return { type, value, slug: `${type}:${value}`, name: value };
}

export function buildArchive(store: Store, count: number, onProgress: (built: number) => void): void {
  store.syncSources(SOURCES.map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
  bulkLoad(store, archiveBatches(count), { onBatch: (counts) => onProgress(counts.new) });
}

function* archiveBatches(count: number): Generator<BulkItem[]> {
  const next = seededRandom(42);
  const pick = <T>(values: readonly T[]): T => values[next(values.length)] as T;
  const start = Date.UTC(2021, 10, 30);
  const spanMinutes = 5 * 365 * 24 * 60;
  for (let offset = 0; offset < count; offset += BATCH) {
    const bySource = new Map<string, ReturnType<typeof buildDraft>[]>();
    for (let n = offset; n < Math.min(count, offset + BATCH); n += 1) {
      const source = pick(SOURCES);
      const vendor = pick(VENDORS);
      const incident = pick(INCIDENTS);
      const cve = `CVE-${2019 + next(8)}-${1000 + next(60_000)}`;
      const text = `${prose(n * 3 + 1, 2000)} ${cve}`;
      const published = new Date(start + next(spanMinutes) * 60_000).toISOString();
      const item: FeedItem = { id: `g${n}`, title: `${vendor} ${incident} ${prose(n * 3 + 2, 60)} ${n}`, link: `https://${source}.example/a/${n}`, published, updated: null, authors: [], summary: null, content: null, categories: [], enclosures: [] };
      const tags = [tag('vendor', vendor), tag('actor', pick(ACTORS)), tag('malware', pick(MALWARE)), tag('incident', incident), tag('sector', 'finance'), tag('country', 'us'), tag('cve', cve), tag('source', source)];
      const draft = buildDraft({ identity: identifyItem(source, item), item, extracted: null, extractError: null, feedText: text, feedHtml: null, summary: text.slice(0, 280), tags, iocs: [] });
      const drafts = bySource.get(source) ?? [];
      drafts.push(draft);
      bySource.set(source, drafts);
    }
    const at = new Date().toISOString();
    yield [...bySource].map(([sourceId, drafts]) => ({ sourceId, drafts, state: { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'bench', durationMs: 0 } }));
  }
}
