import { openStore } from '../../store/store.js';
import { loadCommandConfig, type CommonOptions } from '../context.js';
import { printJson, printTable } from '../output.js';

export interface SourcesOptions extends CommonOptions {
  json?: boolean;
}

export function sourcesListCommand(options: SourcesOptions): number {
  const config = loadCommandConfig(options);
  if (options.json) printJson({ sources: config.sources });
  else printTable(['ID', 'NAME', 'KIND', 'SCHEDULE', 'ARTICLES', 'URL'], config.sources.map((s) => [s.id, s.name, s.kind, s.schedule, s.articles ? 'yes' : 'no', s.url]));
  return 0;
}

export function sourcesStatusCommand(options: SourcesOptions): number {
  const config = loadCommandConfig(options);
  const store = openStore(config.database);
  try {
    store.syncSources(config.sources);
    const configured = new Set(config.sources.map((s) => s.id));
    const states = store.sourceStates().filter((s) => configured.has(s.id));
    if (options.json) {
      printJson({ sources: states.map(({ etag: _etag, lastModified: _lastModified, ...rest }) => rest) });
      return 0;
    }
    printTable(
      ['ID', 'LAST FETCH', 'STATUS', 'ERROR', 'NEW', 'NEXT FETCH', 'ERRORS', 'EXTRACTED', 'ARTICLES'],
      states.map((s) => {
        const attempts = s.articlesExtracted + s.articlesFailed;
        return [
          s.id,
          s.lastFetchAt,
          s.lastStatus,
          s.errorKind ? `${s.errorKind}: ${s.errorMessage ?? ''}` : null,
          s.lastNew,
          s.nextFetchAt,
          s.consecutiveErrors,
          attempts ? `${Math.round((100 * s.articlesExtracted) / attempts)}%` : null,
          s.articleCount,
        ];
      }),
    );
    return 0;
  } finally {
    store.close();
  }
}
