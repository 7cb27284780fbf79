/**
 * XML feeds through rss-parser: it picks the dialect from the root element (`<rss version>`, `<rdf:RDF>`,
 * `<feed>`) and reads the XML with xml2js, refusing DOCTYPE entity definitions.
 *
 * Its own item builders are replaced: rss-parser 3.13 drops xml:base, keeps only one author, and throws
 * (failing the whole feed) on an unparseable Atom date or a `<link>` without attributes. We keep the raw
 * element tree instead and normalise it in rss.ts / atom.ts.
 *
 * Leniency, in two steps. Before parsing, always: characters XML forbids are dropped, HTML named entities
 * (`&nbsp;`, `&eacute;`, common in RSS 0.91-era feeds) become numeric references, bare `&` is escaped, and
 * Atom `type="xhtml"` bodies are wrapped in CDATA so their markup keeps its order. When the strict parse
 * still fails (unclosed or mismatched tags, a truncated body), the text is re-serialised by htmlparser2
 * (through cheerio) in XML mode, which closes what is open, and parsed once more. What that cannot save
 * is a ParseError carrying the strict parser's message.
 */
import * as cheerio from 'cheerio';
import { decodeHTML } from 'entities';
import Parser from 'rss-parser';
import { SecwireError } from '../../errors.js';
import type { XmlNode } from './xmltree.js';

export type XmlDialect = 'atom' | 'rss09' | 'rss1' | 'rss2';

export interface RawXmlFeed {
  dialect: XmlDialect;
  /** `<feed>` for Atom, `<rss>` for RSS 0.9x/2.0, `<rdf:RDF>` for RSS 1.0 / 0.90. */
  root: XmlNode;
}

const ILLEGAL_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const PROTECTED_SECTIONS = /(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/;
const AMPERSAND = /&(#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)?/gi;
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
/** Atom 1.0 type="xhtml", Atom 0.3 type="application/xhtml+xml" or mode="xml": markup inline in the element. */
const XHTML_TEXT_CONSTRUCT =
  /<(title|subtitle|tagline|summary|content|rights)(\s[^>]*\b(?:type\s*=\s*["'](?:xhtml|application\/xhtml\+xml)["']|mode\s*=\s*["']xml["'])[^>]*)>([\s\S]*?)<\/\1>/g;
/** `<a:feed xmlns:a="http://www.w3.org/2005/Atom">`: Atom under a prefix, which rss-parser does not look for. */
const PREFIXED_ATOM_ROOT = /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<([A-Za-z_][\w.-]*):feed\b[^>]*\bxmlns:\1\s*=\s*["']http:\/\/www\.w3\.org\/2005\/Atom["']/;
/** How far to look for a declaration or root after junk some servers print first (PHP warnings...). */
const LEADING_JUNK_WINDOW = 4096;

export function prepareXml(text: string): string {
  let prepared = text.replace(ILLEGAL_XML_CHARS, '');
  const start = prepared.search(/\S/);
  if (start >= 0 && prepared[start] !== '<') {
    const declaration = prepared.slice(0, LEADING_JUNK_WINDOW).search(/<\?xml|<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]/i);
    if (declaration > 0) prepared = prepared.slice(declaration);
  } else if (start > 0) {
    prepared = prepared.slice(start);
  }
  const atomPrefix = PREFIXED_ATOM_ROOT.exec(prepared)?.[1];
  if (atomPrefix !== undefined) prepared = prepared.replace(new RegExp(`<(/?)${atomPrefix.replaceAll('.', '\\.')}:`, 'g'), '<$1');
  prepared = prepared.replace(XHTML_TEXT_CONSTRUCT, (_whole, name: string, attributes: string, inner: string) =>
    inner.includes('<![CDATA[') ? _whole : `<${name}${attributes}><![CDATA[${inner.replaceAll(']]>', ']]]]><![CDATA[>')}]]></${name}>`,
  );
  return prepared
    .split(PROTECTED_SECTIONS)
    .map((section, index) => (index % 2 === 1 ? section : fixEntities(section)))
    .join('');
}

function fixEntities(section: string): string {
  return section.replace(AMPERSAND, (whole: string, reference: string | undefined) => {
    if (reference === undefined) return '&amp;';
    if (reference.startsWith('#') || XML_ENTITIES.has(reference.slice(0, -1))) return whole;
    const decoded = decodeHTML(whole);
    if (decoded === whole) return `&amp;${reference}`;
    return [...decoded].map((char) => `&#${char.codePointAt(0) ?? 0xfffd};`).join('');
  });
}

interface RawBuilders {
  buildAtomFeed(xml: Record<string, XmlNode>): RawXmlFeed;
  buildRSS0_9(xml: Record<string, XmlNode>): RawXmlFeed;
  buildRSS1(xml: Record<string, XmlNode>): RawXmlFeed;
  buildRSS2(xml: Record<string, XmlNode>): RawXmlFeed;
}

const RAW_BUILDERS: RawBuilders = {
  buildAtomFeed: (xml) => ({ dialect: 'atom', root: xml['feed'] }),
  buildRSS0_9: (xml) => ({ dialect: 'rss09', root: xml['rss'] }),
  buildRSS1: (xml) => ({ dialect: 'rss1', root: xml['rdf:RDF'] }),
  buildRSS2: (xml) => ({ dialect: 'rss2', root: xml['rss'] }),
};

function rawParser(): Parser & RawBuilders {
  // `<rss>` with no or an unknown version attribute is read as RSS 2.0, the superset.
  return Object.assign(new Parser({ defaultRSS: 2 }), RAW_BUILDERS);
}

async function parseRaw(text: string): Promise<RawXmlFeed> {
  // The builders above replace rss-parser's, so the promise carries their RawXmlFeed, not rss-parser's Output.
  return (await rawParser().parseString(text)) as unknown as RawXmlFeed;
}

function closeWhatIsOpen(text: string): string {
  return cheerio.load(text, { xml: { xmlMode: true, decodeEntities: true } }).xml();
}

function isUnrecognisedRoot(error: unknown): boolean {
  return error instanceof Error && /not recognized as RSS/i.test(error.message);
}

export async function readXmlFeed(text: string): Promise<RawXmlFeed> {
  const prepared = prepareXml(text);
  let strictError: unknown;
  try {
    return await parseRaw(prepared);
  } catch (error) {
    strictError = error;
  }
  if (isUnrecognisedRoot(strictError)) {
    throw new SecwireError('NotAFeed', 'the XML root element is not rss, rdf:RDF or feed', {}, { cause: strictError });
  }
  try {
    return await parseRaw(closeWhatIsOpen(prepared));
  } catch {
    const message = strictError instanceof Error ? strictError.message : String(strictError);
    throw new SecwireError('ParseError', `broken XML: ${message.replace(/\s+/g, ' ').trim()}`, {}, { cause: strictError });
  }
}
