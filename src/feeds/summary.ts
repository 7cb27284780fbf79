/** Plain-text summaries for feed entries: about 300 characters, cut between words, "…" when cut. */

export const DEFAULT_SUMMARY_CHARS = 300;

const ELLIPSIS = '…';
// Word segmentation from ICU rather than splitting on spaces, so text without spaces (Japanese, Chinese) is
// still cut between words.
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Whitespace collapsed; when longer than maxChars, cut at the last word boundary that fits, plus "…". */
export function summarize(text: string, maxChars: number = DEFAULT_SUMMARY_CHARS): string {
  const normalized = text.replace(/\s+/g, ' ').trim();
  if (normalized.length <= maxChars) return normalized;
  const budget = Math.max(1, maxChars - ELLIPSIS.length);
  let end = 0;
  for (const { segment, index } of wordSegmenter.segment(normalized)) {
    if (index + segment.length > budget) break;
    end = index + segment.length;
  }
  // One word longer than the whole budget (a long URL): cut inside it, never between a surrogate pair.
  const head = end > 0 ? normalized.slice(0, end) : normalized.slice(0, budget).replace(/[\uD800-\uDBFF]$/, '');
  return `${head.replace(/[\s,;:.!?\-–—(\["'«“‘]+$/u, '')}${ELLIPSIS}`;
}
