import { SecwireError } from '../../errors.js';
import { parseQuery, normaliseTagFilter, parseRelativeOrAbsoluteDate } from '../../store/search-query.js';
import { openStore, type SearchHit } from '../../store/store.js';
import { loadCommandConfig, type CommonOptions } from '../context.js';
import { printJson, printLine, printTable } from '../output.js';

export interface SearchOptions extends CommonOptions {
  tag: string[];
  source?: string;
  since?: string;
  until?: string;
  limit: string;
  format: 'table' | 'json' | 'ndjson' | 'csv';
  facets?: boolean;
}

/** `secwire search`: the archive, queried; table on a TTY, JSON/NDJSON/CSV for pipes. */
export function searchCommand(queryText: string, options: SearchOptions): number {
  const config = loadCommandConfig(options);
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new SecwireError('UsageError', `--limit must be an integer from 1 to 10000, got "${options.limit}"`);
  const now = new Date();
  const match = parseQuery(queryText, { now });
  const tags = options.tag.map((tag) => {
    const [type, ...rest] = tag.split(':');
    return normaliseTagFilter(type ?? '', rest.join(':'));
  });
  const store = openStore(config.database, { search: config.search });
  try {
    const query = {
      limit,
      match,
      tags,
      source: options.source,
      since: options.since ? parseRelativeOrAbsoluteDate('--since', options.since, now) : undefined,
      until: options.until ? parseRelativeOrAbsoluteDate('--until', options.until, now) : undefined,
    };
    const { hits } = store.search(query);
    printHits(hits, options.format);
    if (options.facets && options.format === 'table') {
      const facets = store.facets(query);
      for (const [type, list] of Object.entries(facets.tags)) printLine(`${type}: ${list.map((t) => `${t.name} (${t.count})`).join(', ')}`);
    }
    if (hits.length === 0) process.stderr.write('no articles match\n');
    return 0;
  } finally {
    store.close();
  }
}

function plainSnippet(snippet: string | null): string | null {
  return snippet === null ? null : snippet.replace(/\u0002/g, '[').replace(/\u0003/g, ']');
}

function printHits(hits: SearchHit[], format: SearchOptions['format']): void {
  const records = hits.map(({ article, rank, snippet }) => ({
    id: article.id,
    published: article.published ?? article.firstSeen,
    source: article.source,
    title: article.title,
    url: article.url,
    tags: article.tags.filter((t) => !t.startsWith('source:')),
    rank,
    snippet: plainSnippet(snippet),
  }));
  switch (format) {
    case 'json':
      printJson({ articles: records });
      return;
    case 'ndjson':
      for (const record of records) printLine(JSON.stringify(record));
      return;
    case 'csv':
      printLine(['id', 'published', 'source', 'title', 'url', 'tags'].join(','));
      for (const r of records) printLine([r.id, r.published, r.source, r.title, r.url, r.tags.join(' ')].map(csvCell).join(','));
      return;
    case 'table':
      printTable(
        ['DATE', 'SOURCE', 'TITLE', 'TAGS'],
        records.map((r) => [r.published.slice(0, 10), r.source, r.title, r.tags.join(' ')]),
      );
  }
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
