/**
 * Reading the object tree xml2js builds (rss-parser's XML reader): an element with only text is a string;
 * otherwise an object with `_` (text), `$` (attributes) and one array per child element name.
 * Names are matched exactly first, then case-insensitively, because the lenient parse lower-cases them.
 */

export type XmlNode = unknown;

function isElement(node: XmlNode): node is Record<string, unknown> {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

export function children(node: XmlNode, name: string): XmlNode[] {
  if (!isElement(node)) return [];
  const exact = node[name];
  if (Array.isArray(exact)) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(node)) {
    if (key.toLowerCase() === lower && Array.isArray(value)) return value;
  }
  return [];
}

/** Children under any of the names, in the order of the names. */
export function childrenOf(node: XmlNode, names: readonly string[]): XmlNode[] {
  return names.flatMap((name) => children(node, name));
}

export function child(node: XmlNode, ...names: string[]): XmlNode | undefined {
  for (const name of names) {
    const found = children(node, name)[0];
    if (found !== undefined) return found;
  }
  return undefined;
}

export function attr(node: XmlNode, name: string): string | null {
  if (!isElement(node)) return null;
  const attributes = node['$'];
  if (!isElement(attributes)) return null;
  const exact = attributes[name];
  if (typeof exact === 'string') return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(attributes)) {
    if (key.toLowerCase() === lower && typeof value === 'string') return value;
  }
  return null;
}

/** The element's own text (not its children's), or null when it has none. */
export function text(node: XmlNode): string | null {
  if (typeof node === 'string') return node;
  if (isElement(node) && typeof node['_'] === 'string') return node['_'];
  return null;
}

/** Text of the first child under any of the names that has text. */
export function childText(node: XmlNode, ...names: string[]): string | null {
  for (const name of names) {
    for (const found of children(node, name)) {
      const value = text(found)?.trim();
      if (value) return value;
    }
  }
  return null;
}

/**
 * All text under the element, its children's included, for a title that carries unescaped markup
 * (`<title><p>Title</p></title>`). xml2js keeps text and child elements apart, so mixed content
 * comes out text first, then children: good enough for a one-line title.
 */
export function deepText(node: XmlNode): string | null {
  if (typeof node === 'string') return node;
  if (!isElement(node)) return null;
  const parts: string[] = [];
  if (typeof node['_'] === 'string') parts.push(node['_']);
  for (const [key, value] of Object.entries(node)) {
    if (key === '$' || key === '_' || !Array.isArray(value)) continue;
    for (const nested of value) parts.push(deepText(nested) ?? '');
  }
  const joined = parts.join(' ').trim();
  return joined === '' ? null : joined;
}
