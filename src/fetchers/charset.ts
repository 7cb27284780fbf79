/**
 * Bytes to text for feeds and pages: find the charset, decode, drop the BOM.
 *
 * Precedence: byte order mark, then the HTTP Content-Type charset, then the document's own label
 * (`<?xml encoding=...?>`, a UTF-16 `<?xml` prefix, or an HTML `<meta charset>` / http-equiv), then UTF-8.
 *
 * A label that contradicts the bytes: like Miniflux (reader/encoding: "the document is already UTF-8,
 * do not do anything (avoid double-encoding)"), bytes that are valid UTF-8 are decoded as UTF-8 whatever an
 * ASCII-compatible label says. A feed declaring ISO-8859-1 or windows-1252 whose bytes are valid UTF-8
 * (Miniflux's utf8-incorrect-prolog / windows-1252-incorrect-prolog cases) is UTF-8 that was mislabelled;
 * decoding it as Latin-1 would turn every accented letter into mojibake, while real Latin-1 text with
 * accents is almost never valid UTF-8. UTF-16 labels are the exception: UTF-16 text is often valid UTF-8 too
 * (ASCII plus NUL bytes), so a UTF-16 label or prefix is always obeyed.
 * The reverse case (labelled or defaulted UTF-8 but not valid UTF-8, e.g. Miniflux's iso88591_utf8_mismatch)
 * is decoded as windows-1252, the WHATWG superset of ISO-8859-1 that every byte decodes in, with a warning.
 */
import { Sniffer, ResultType } from 'encoding-sniffer/sniffer';
import iconv from 'iconv-lite';
import { SecwireError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';

export type CharsetSource = 'bom' | 'header' | 'xml' | 'meta' | 'default';

export interface DecodedBody {
  text: string;
  /** The encoding the bytes were decoded with (WHATWG name, or the iconv-lite label). */
  encoding: string;
  /** Where the label that was looked at came from. */
  source: CharsetSource;
  /** The label disagreed with the bytes, or was unknown, and another encoding was used. */
  overridden: boolean;
}

export interface DecodeOptions {
  logger?: Logger;
  /** How far into the body to look for an XML declaration or a meta tag (WHATWG sniffs 1024 bytes). */
  sniffBytes?: number;
  /** How far into the body a NUL byte marks it as binary rather than text. */
  binarySniffBytes?: number;
}

const DEFAULT_SNIFF_BYTES = 1024;
const DEFAULT_BINARY_SNIFF_BYTES = 1024;
const FALLBACK_FOR_INVALID_UTF8 = 'windows-1252';

export function decodeBody(body: Buffer, contentType: string | null, options: DecodeOptions = {}): string {
  return decodeBodyDetailed(body, contentType, options).text;
}

export function decodeBodyDetailed(body: Buffer, contentType: string | null, options: DecodeOptions = {}): DecodedBody {
  const logger = options.logger ?? silentLogger;
  const bom = encodingFromBom(body);
  if (bom) return { text: decodeStrict(body, bom), encoding: bom, source: 'bom', overridden: false };

  const declared = declaredCharset(body, contentType, options.sniffBytes ?? DEFAULT_SNIFF_BYTES);
  let label = declared.label;
  if (label !== null && !isKnownEncoding(label)) {
    logger.warn({ charset: label, from: declared.source }, 'unknown charset label, decoding as UTF-8');
    label = null;
  }
  if (label !== null && isUtf16(label)) {
    return { text: decodeStrict(body, label), encoding: normalisedName(label), source: declared.source, overridden: false };
  }

  rejectBinary(body, options.binarySniffBytes ?? DEFAULT_BINARY_SNIFF_BYTES);
  const wantsUtf8 = label === null || normalisedName(label) === 'utf-8';
  const utf8 = tryUtf8(body);
  if (utf8 !== null) {
    return { text: utf8, encoding: 'utf-8', source: declared.source, overridden: !wantsUtf8 };
  }
  if (wantsUtf8) {
    if (declared.label !== null) logger.warn({ charset: declared.label, from: declared.source }, 'body is not valid UTF-8, decoding as windows-1252');
    return { text: decodeWith(body, FALLBACK_FOR_INVALID_UTF8), encoding: FALLBACK_FOR_INVALID_UTF8, source: declared.source, overridden: declared.label !== null };
  }
  const encoding = label ?? FALLBACK_FOR_INVALID_UTF8;
  return { text: decodeWith(body, encoding), encoding: normalisedName(encoding), source: declared.source, overridden: false };
}

function encodingFromBom(body: Buffer): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return null;
}

interface DeclaredCharset {
  label: string | null;
  source: CharsetSource;
}

function declaredCharset(body: Buffer, contentType: string | null, sniffBytes: number): DeclaredCharset {
  const fromHeader = charsetFromContentType(contentType);
  if (fromHeader) return { label: fromHeader, source: 'header' };

  // Without a transport label the sniffer reports only what the document itself says.
  const sniffer = new Sniffer({ maxBytes: sniffBytes });
  sniffer.write(body.subarray(0, sniffBytes));
  switch (sniffer.resultType) {
    case ResultType.XML_PREFIX:
    case ResultType.XML_ENCODING:
      return { label: sniffer.encoding, source: 'xml' };
    case ResultType.META_TAG:
      return { label: sniffer.encoding, source: 'meta' };
    default: {
      // The sniffer drops labels it does not know; find them so the caller hears about them.
      const prolog = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(body.subarray(0, sniffBytes).toString('latin1'));
      return prolog?.[1] ? { label: prolog[1], source: 'xml' } : { label: null, source: 'default' };
    }
  }
}

export function charsetFromContentType(contentType: string | null): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const label = (match?.[1] ?? match?.[2] ?? '').trim();
  return label === '' ? null : label;
}

function isKnownEncoding(label: string): boolean {
  return whatwgName(label) !== null || iconv.encodingExists(label);
}

function whatwgName(label: string): string | null {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

function normalisedName(label: string): string {
  return whatwgName(label) ?? label.toLowerCase();
}

function isUtf16(label: string): boolean {
  return normalisedName(label).startsWith('utf-16');
}

function tryUtf8(body: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

function decodeStrict(body: Buffer, encoding: string): string {
  try {
    return stripBom(new TextDecoder(encoding, { fatal: true }).decode(body));
  } catch (error) {
    throw new SecwireError('Decode', `the body is not valid ${encoding}`, { encoding }, { cause: error });
  }
}

/**
 * Legacy single- and multi-byte encodings, by their WHATWG name (so ISO-8859-1 means windows-1252, as in
 * browsers), through iconv-lite: Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 and loses the
 * curly quotes and the euro sign (nodejs/node#56542). Stray bytes become replacement characters.
 */
function decodeWith(body: Buffer, encoding: string): string {
  const name = whatwgName(encoding) ?? encoding;
  const text = iconv.encodingExists(name) ? iconv.decode(body, name, { stripBOM: false }) : new TextDecoder(name).decode(body);
  return stripBom(text);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** NUL never occurs in XML, HTML or JSON text outside UTF-16/32; it means an image, archive or undecompressed body. */
function rejectBinary(body: Buffer, sniffBytes: number): void {
  const head = body.subarray(0, sniffBytes);
  if (head.includes(0)) {
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    throw new SecwireError('Decode', gzip ? 'the body is still gzip-compressed' : 'the body is binary, not text', {});
  }
}
