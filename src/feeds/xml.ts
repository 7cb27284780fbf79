/**
 * A small XML writer for the RSS and Atom renderers.
 *
 * Hand-rolled on purpose: the `feed` package serialises through xml-js and gives no way to put elements it does
 * not know (RSS `<source>`, `media:thumbnail`, Atom `<source>`, `type="text"` titles) where they belong; patching
 * its output with string surgery would be more code and more fragile than these few lines.
 */

/** Everything XML 1.0 forbids (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, '');
}

const NEEDS_ESCAPING = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Escapes text for XML (and HTML) element content; strips characters XML cannot carry. */
export function escapeXml(text: string): string {
  // Most strings (URLs, names, dates) need nothing: one scan answers that.
  if (!NEEDS_ESCAPING.test(text)) return text;
  // Chained replaces: about twice as fast as one regex with a callback on markup-heavy text.
  return stripInvalidXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Attribute values also keep tab/LF/CR, which XML attribute normalisation would otherwise turn into spaces.
function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/**
 * HTML payloads (descriptions, content) go in CDATA: one scan instead of escaping every `<` of a whole article.
 * A `]]>` inside is split across two sections.
 */
function cdataSection(text: string): string {
  return `<![CDATA[${stripInvalidXmlChars(text).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export type XmlAttributes = Record<string, string | number | null | undefined>;

export interface XmlElement {
  name: string;
  attributes: XmlAttributes;
  children: XmlChild[];
}

export interface XmlCdata {
  cdata: string;
}

/** A string child is text (escaped on output); null/undefined/false children are skipped. */
export type XmlChild = XmlElement | XmlCdata | string | null | undefined | false;

export function cdata(text: string): XmlCdata {
  return { cdata: text };
}

export function el(name: string, attributes: XmlAttributes = {}, ...children: (XmlChild | XmlChild[])[]): XmlElement {
  return { name, attributes, children: children.flat() };
}

function serializeAttributes(attributes: XmlAttributes): string {
  let out = '';
  for (const key in attributes) {
    const value = attributes[key];
    if (value === null || value === undefined) continue;
    out += ` ${key}="${escapeAttribute(String(value))}"`;
  }
  return out;
}

const isPresent = (child: XmlChild): child is XmlElement | XmlCdata | string => child !== null && child !== undefined && child !== false;
const isText = (child: XmlElement | XmlCdata | string): child is XmlCdata | string => typeof child === 'string' || 'cdata' in child;
const textOf = (child: XmlCdata | string): string => (typeof child === 'string' ? escapeXml(child) : cdataSection(child.cdata));

/** Appends one element to `out` (a feed is thousands of elements: one string grows, no array of lines is joined). */
function serializeElement(element: XmlElement, indent: string, out: string): string {
  const open = `<${element.name}${serializeAttributes(element.attributes)}`;
  let present = 0;
  let allText = true;
  for (const child of element.children) {
    if (!isPresent(child)) continue;
    present += 1;
    if (!isText(child)) allText = false;
  }
  if (present === 0) return `${out}\n${indent}${open}/>`;
  if (allText) {
    let text = '';
    for (const child of element.children) if (isPresent(child)) text += textOf(child as XmlCdata | string);
    return `${out}\n${indent}${open}>${text}</${element.name}>`;
  }
  out += `\n${indent}${open}>`;
  const inner = `${indent}  `;
  for (const child of element.children) {
    if (!isPresent(child)) continue;
    if (isText(child)) out += `\n${inner}${textOf(child)}`;
    else out = serializeElement(child, inner, out);
  }
  return `${out}\n${indent}</${element.name}>`;
}

/** A whole UTF-8 XML document with its declaration, two-space indented. */
export function serializeXmlDocument(root: XmlElement): string {
  return `${serializeElement(root, '', '<?xml version="1.0" encoding="utf-8"?>')}\n`;
}
