import { SingleBar } from 'cli-progress';
import type { SourceReport } from '../pipeline.js';

export interface FetchProgress {
  sourceDone(report: SourceReport): void;
  stop(): void;
}

/**
 * A live bar on stderr when it is a TTY (sources done/total, articles extracted, errors). Elsewhere the
 * logger's one line per source fetch already is the plain progress, so this stays silent.
 */
export function fetchProgress(total: number, stream: NodeJS.WriteStream = process.stderr): FetchProgress {
  if (!stream.isTTY || total === 0) return { sourceDone: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: 'sources {value}/{total} [{bar}] {percentage}% | new {fresh} | extracted {extracted} | errors {errors} | {last}',
    barsize: 24,
    hideCursor: true,
    clearOnComplete: false,
    noTTYOutput: false,
  });
  const counts = { fresh: 0, extracted: 0, errors: 0, last: '' };
  bar.start(total, 0, counts);
  return {
    sourceDone(report) {
      counts.fresh += report.new;
      counts.extracted += report.extracted;
      if (report.outcome === 'error') counts.errors += 1;
      counts.last = report.source;
      bar.increment(1, counts);
    },
    stop: () => bar.stop(),
  };
}
