/** Plain-text summaries for feed entries: about 300 characters, cut between words, "…" when cut. */

export const DEFAULT_SUMMARY_CHARS = 300;

const ELLIPSIS = '…';
// Word segmentation from ICU rather than splitting on spaces, so text without spaces (Japanese, Chinese) is
// still cut between words.
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
/**
 * Characters segmented past the cut: word boundaries depend on a few characters after them (more inside runs
 * of dictionary scripts), so the segmenter sees this much context beyond the budget, not the whole text.
 */
const SEGMENT_CONTEXT = 200;
/** How far before the cut segmentation starts; a longer word is cut before (as when segmenting everything). */
const SEGMENT_WINDOW = 40;
const STARTS_WORD = /^[\p{L}\p{N}\p{P}]$/u;

/** Whitespace collapsed; when longer than maxChars, cut at the last word boundary that fits, plus "…". */
export function summarize(text: string, maxChars: number = DEFAULT_SUMMARY_CHARS): string {
  const normalized = collapsedHead(text, maxChars + SEGMENT_CONTEXT);
  if (normalized.length <= maxChars) return normalized;
  const budget = Math.max(1, maxChars - ELLIPSIS.length);
  // ICU costs microseconds per word: segment only the last words before the cut, from just after a space
  // (a word boundary whatever precedes it), unless the next character would attach to that space.
  const space = normalized.lastIndexOf(' ', budget - SEGMENT_WINDOW);
  const from = space >= 0 && STARTS_WORD.test(normalized.charAt(space + 1)) ? space + 1 : 0;
  let end = from;
  for (const { segment, index } of wordSegmenter.segment(normalized.slice(from))) {
    if (from + index + segment.length > budget) break;
    end = from + index + segment.length;
  }
  // One word longer than the whole budget (a long URL): cut inside it, never between a surrogate pair.
  const head = end > 0 ? normalized.slice(0, end) : normalized.slice(0, budget).replace(/[\uD800-\uDBFF]$/, '');
  return `${head.replace(/[\s,;:.!?\-–—(\["'«“‘]+$/u, '')}${ELLIPSIS}`;
}

/**
 * The text with whitespace collapsed and trimmed, or, when that is longer than `wanted`, a prefix of it of at
 * least `wanted` characters: a summary of a long article reads only its head, not the whole body.
 */
function collapsedHead(text: string, wanted: number): string {
  for (let take = wanted * 2; ; take *= 2) {
    if (take >= text.length) return text.replace(/\s+/g, ' ').trim();
    const head = text.slice(0, take).replace(/\s+/g, ' ').trimStart();
    // Only the end of the whole text is trimmed: a head this long has text beyond its last space.
    if (head.length > wanted) return head;
  }
}
