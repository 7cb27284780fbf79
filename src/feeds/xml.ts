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

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// Attribute values also keep tab/LF/CR, which XML attribute normalisation would otherwise turn into spaces.
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/** Escapes text for XML (and HTML) element content; strips characters XML cannot carry. */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (c) => TEXT_ESCAPES[c] ?? c);
}

function escapeAttribute(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

export type XmlAttributes = Record<string, string | number | null | undefined>;

export interface XmlElement {
  name: string;
  attributes: XmlAttributes;
  children: XmlChild[];
}

/** A string child is text (escaped on output); null/undefined/false children are skipped. */
export type XmlChild = XmlElement | string | null | undefined | false;

export function el(name: string, attributes: XmlAttributes = {}, ...children: (XmlChild | XmlChild[])[]): XmlElement {
  return { name, attributes, children: children.flat() };
}

function serializeAttributes(attributes: XmlAttributes): string {
  let out = '';
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    out += ` ${key}="${escapeAttribute(String(value))}"`;
  }
  return out;
}

function serializeElement(element: XmlElement, indent: string, lines: string[]): void {
  const open = `<${element.name}${serializeAttributes(element.attributes)}`;
  const children = element.children.filter((child): child is XmlElement | string => child !== null && child !== undefined && child !== false);
  if (children.length === 0) {
    lines.push(`${indent}${open}/>`);
    return;
  }
  if (children.every((child) => typeof child === 'string')) {
    lines.push(`${indent}${open}>${children.map((text) => escapeXml(text)).join('')}</${element.name}>`);
    return;
  }
  lines.push(`${indent}${open}>`);
  for (const child of children) {
    if (typeof child === 'string') lines.push(`${indent}  ${escapeXml(child)}`);
    else serializeElement(child, `${indent}  `, lines);
  }
  lines.push(`${indent}</${element.name}>`);
}

/** A whole UTF-8 XML document with its declaration, two-space indented. */
export function serializeXmlDocument(root: XmlElement): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  serializeElement(root, '', lines);
  return `${lines.join('\n')}\n`;
}
