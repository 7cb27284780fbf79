const VOID_OR_OPTIONAL_END = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'optgroup', 'colgroup', 'caption', 'rt', 'rp',
  'html', 'head', 'body',
]);

const SLASH = 0x2f;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** [\w:-]: the characters of a tag name after its first letter. */
function isNameChar(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x3a || code === 0x2d;
}

/**
 * Nesting depth estimated from the tags alone, before parsing: htmlparser2 slows quadratically on
 * runaway nesting (35 s for 100k levels here), so such pages are refused before they reach it.
 * Tags are read as /<(\/?)([a-zA-Z][\w:-]*)[^>]*>/ would read them, by indexOf and character codes:
 * the regex scan was a twentieth of the extraction's CPU.
 */
export function prescanDepthExceeds(html: string, limit: number): boolean {
  let depth = 0;
  for (let open = html.indexOf('<'); open >= 0; ) {
    let nameStart = open + 1;
    const closing = html.charCodeAt(nameStart) === SLASH && isAsciiLetter(html.charCodeAt(nameStart + 1));
    if (closing) nameStart += 1;
    if (!isAsciiLetter(html.charCodeAt(nameStart))) {
      open = html.indexOf('<', open + 1);
      continue;
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < html.length && isNameChar(html.charCodeAt(nameEnd))) nameEnd += 1;
    const end = html.indexOf('>', nameEnd);
    if (end < 0) return false;
    const selfClosing = html.charCodeAt(end - 1) === SLASH;
    if (!selfClosing && !VOID_OR_OPTIONAL_END.has(html.slice(nameStart, nameEnd).toLowerCase())) {
      if (closing) depth = Math.max(0, depth - 1);
      else if (++depth > limit) return true;
    }
    open = html.indexOf('<', end + 1);
  }
  return false;
}
