/**
 * Bounds on the work one page may cost. Over a bound the extractor answers NoArticle with the
 * reason, so the ingest keeps the feed's content: it never truncates silently and never crashes.
 */
export interface ExtractLimits {
  /** Longest HTML accepted, in UTF-16 code units (about bytes for Latin text). */
  maxInputChars: number;
  /** Most DOM nodes after parsing. */
  maxNodes: number;
  /** Deepest element nesting; real articles stay far below, runaway markup does not. */
  maxDepth: number;
  /** Most JSON-LD blocks read, and the longest one, to bound JSON.parse. */
  maxJsonLdBlocks: number;
  maxJsonLdChars: number;
  /** Most authors kept (bylines on wire stories rarely exceed a handful). */
  maxAuthors: number;
}

export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  maxInputChars: 8 * 1024 * 1024,
  maxNodes: 400_000,
  maxDepth: 512,
  maxJsonLdBlocks: 32,
  maxJsonLdChars: 2 * 1024 * 1024,
  maxAuthors: 12,
});

export function resolveLimits(overrides: Partial<ExtractLimits> | undefined): ExtractLimits {
  return { ...DEFAULT_EXTRACT_LIMITS, ...overrides };
}
