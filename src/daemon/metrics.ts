/**
 * Prometheus metrics of the daemon, in a registry of its own (prom-client's default one is process-global,
 * which would leak series between daemons started in one test process).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SourceReport } from '../pipeline.js';
import { databaseSizeBytes } from '../store/maintenance.js';
import type { Store } from '../store/store.js';

export interface WireMetrics {
  readonly registry: Registry;
  observeFetch(report: SourceReport): void;
  /** A cached-response lookup by the server; only feeds (`/feeds/...`) are counted. */
  observeFeedRequest(key: string, hit: boolean): void;
  render(): Promise<{ body: string; contentType: string }>;
}

/** Seconds; fetches of a feed plus its article pages range from tens of milliseconds to the 20 s timeout and beyond. */
const FETCH_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80];

export function createMetrics(store: Store, options: { processMetrics?: boolean } = {}): WireMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'secwire_' });
  const fetches = new Counter({ name: 'secwire_fetches_total', help: 'Feed fetches by source, outcome and HTTP status (0 when there was no response).', labelNames: ['source', 'outcome', 'status'], registers: [registry] });
  const stored = new Counter({ name: 'secwire_articles_stored_total', help: 'Articles written by ingests, by source and kind (new, updated, duplicate sighting).', labelNames: ['source', 'kind'], registers: [registry] });
  const extractionFailures = new Counter({ name: 'secwire_extraction_failures_total', help: 'Article pages that could not be fetched or extracted, by source.', labelNames: ['source'], registers: [registry] });
  const extracted = new Counter({ name: 'secwire_extractions_total', help: 'Article pages extracted, by source.', labelNames: ['source'], registers: [registry] });
  const duration = new Histogram({ name: 'secwire_fetch_duration_seconds', help: 'Time to fetch a feed, its article pages and store them, by outcome.', labelNames: ['outcome'], buckets: FETCH_DURATION_BUCKETS, registers: [registry] });
  const feedRequests = new Counter({ name: 'secwire_feed_requests_total', help: 'Requests for generated feeds, by format.', labelNames: ['format'], registers: [registry] });
  const cacheHits = new Counter({ name: 'secwire_feed_cache_hits_total', help: 'Feed requests answered from the rendered-feed cache, by format.', labelNames: ['format'], registers: [registry] });
  new Gauge({
    name: 'secwire_articles',
    help: 'Articles in the archive.',
    registers: [registry],
    collect() {
      this.set(store.articleCount());
    },
  });
  new Gauge({
    name: 'secwire_database_size_bytes',
    help: 'Size of the SQLite database with its WAL and shared-memory files.',
    registers: [registry],
    collect() {
      this.set(databaseSizeBytes(store.path));
    },
  });
  new Gauge({
    name: 'secwire_last_success_timestamp_seconds',
    help: 'Unix time of the last fetch that succeeded (0 when none has).',
    registers: [registry],
    collect() {
      const at = store.meta('last_success_at');
      this.set(at ? Date.parse(at) / 1000 : 0);
    },
  });

  return {
    registry,
    observeFetch(report) {
      fetches.inc({ source: report.source, outcome: report.outcome, status: String(report.status ?? 0) });
      duration.observe({ outcome: report.outcome }, report.durationMs / 1000);
      if (report.new) stored.inc({ source: report.source, kind: 'new' }, report.new);
      if (report.updated) stored.inc({ source: report.source, kind: 'updated' }, report.updated);
      if (report.duplicates) stored.inc({ source: report.source, kind: 'duplicate' }, report.duplicates);
      if (report.extracted) extracted.inc({ source: report.source }, report.extracted);
      if (report.extractFailed) extractionFailures.inc({ source: report.source }, report.extractFailed);
    },
    observeFeedRequest(key, hit) {
      if (!key.startsWith('/feeds/')) return;
      const format = /\.(rss|atom|json)(?:\?|$)/.exec(key)?.[1] ?? 'other';
      feedRequests.inc({ format });
      if (hit) cacheHits.inc({ format });
    },
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}
