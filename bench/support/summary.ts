/**
 * The machine-readable result every bench can write with `--json FILE`, so `npm run bench` (bench/report.ts)
 * gathers the numbers without scraping the text each bench prints for people.
 */
import { writeFileSync } from 'node:fs';

export interface BenchMetric {
  name: string;
  value: number;
  unit: string;
  /** The goal in words ("<= 0.50x newsboat"), when the issue sets one. */
  goal?: string;
  met?: boolean;
}

export interface BenchSummary {
  bench: string;
  /** What was measured, on what input, how many runs: one line. */
  setup: string;
  metrics: BenchMetric[];
}

/** The value after `--json` in argv, or null: parsed here so each bench needs only one added line. */
export function jsonOutPath(argv: readonly string[]): string | null {
  const index = argv.indexOf('--json');
  return index >= 0 ? (argv[index + 1] ?? null) : null;
}

export function writeSummary(path: string | null, summary: BenchSummary): void {
  if (path !== null) writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
}
