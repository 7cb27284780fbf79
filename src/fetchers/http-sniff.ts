/**
 * Whether a body fetched as a feed is an HTML page instead. The body decides first, because many servers label
 * real feeds `text/html`: XML feed roots or a JSON object are a feed whatever the header says.
 */
export function isHtmlInsteadOfFeed(body: Buffer, contentType: string | null): boolean {
  // Feed roots and HTML openings are ASCII, so latin1 reads them in any ASCII-compatible charset; a UTF-16 feed
  // starts with a BOM and is left to the parser.
  const head = body.subarray(0, 4096).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  const start = head.replace(/^\s+/, '');
  if (start.startsWith('{')) return false;
  if (/<(rss|feed|rdf:RDF)[\s>]/i.test(head)) return false;
  const withoutPreamble = start.replace(/^(<!--[\s\S]*?-->\s*)+/, '');
  if (/^<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(withoutPreamble)) return true;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'text/html' || mediaType === 'application/xhtml+xml';
}
