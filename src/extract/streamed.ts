import { textOf } from './dom.js';
import { tagged, type PageIndex } from './page.js';

/**
 * Next.js App Router pages stream their content as a React Server Components payload in
 * `self.__next_f.push([1, "..."])` scripts. Some sites render the article's HTML only there, as a text
 * row of the payload ("24:T1b7b,<p>..."), and leave the server-rendered DOM without it.
 */

const PUSH_CALL = /self\.__next_f\.push\(\[1,\s*("(?:[^"\\]|\\.)*")\]\)/g;
/** A text row: "<row id>:T<length in UTF-8 bytes, hex>,<text>". */
const TEXT_ROW = /(?:^|\n)[0-9a-f]+:T([0-9a-f]+),/g;
/** A text row shorter than this is a caption or a label, not an article. */
const MIN_STREAMED_HTML_CHARS = 500;

function payloadOf(page: PageIndex): string {
  const parts: string[] = [];
  for (const script of tagged(page, 'script')) {
    const source = textOf(script);
    if (!source.includes('__next_f')) continue;
    for (const match of source.matchAll(PUSH_CALL)) {
      try {
        parts.push(JSON.parse(match[1] ?? '""') as string);
      } catch {
        // A push whose string is not valid JSON is not a payload row; the others still are.
      }
    }
  }
  return parts.join('');
}

/** The longest HTML text row of the page's RSC payload, or null when the page streams none. */
export function streamedArticleHtml(page: PageIndex): string | null {
  const payload = payloadOf(page);
  if (!payload) return null;
  let best: string | null = null;
  for (const match of payload.matchAll(TEXT_ROW)) {
    const start = (match.index ?? 0) + match[0].length;
    const bytes = Number.parseInt(match[1] ?? '0', 16);
    // The length counts UTF-8 bytes; cutting the encoded text keeps multi-byte characters whole.
    const text = Buffer.from(payload.slice(start, start + bytes), 'utf8').subarray(0, bytes).toString('utf8');
    if (!text.trimStart().startsWith('<') || text.length < MIN_STREAMED_HTML_CHARS) continue;
    if (!best || text.length > best.length) best = text;
  }
  return best;
}
