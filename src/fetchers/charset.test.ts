import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { SecwireError } from '../errors.js';
import type { Logger } from '../log.js';
import { decodeBody, decodeBodyDetailed } from './charset.js';

const CURLY = 'It\u2019s \u201Cquoted\u201D \u2014 costs \u20AC5';
const LATIN = 'Caf\u00E9 cr\u00E8me, J\u00FCrgen, Ana\u00EFs';
const JAPANESE = '\u30BB\u30AD\u30E5\u30EA\u30C6\u30A3\u52E7\u544A';

function xml(encodingLabel: string | null, title: string): string {
  const prolog = encodingLabel ? `<?xml version="1.0" encoding="${encodingLabel}"?>` : '<?xml version="1.0"?>';
  return `${prolog}\n<rss version="2.0"><channel><title>${title}</title></channel></rss>`;
}

function titleOf(text: string): string | undefined {
  return /<title>(.*?)<\/title>/s.exec(text)?.[1];
}

describe('decodeBody', () => {
  it('windows-1252 from the Content-Type header, with curly quotes and the euro sign', () => {
    const body = iconv.encode(xml(null, CURLY), 'windows-1252');
    expect(titleOf(decodeBody(body, 'application/rss+xml; charset=windows-1252'))).toBe(CURLY);
  });

  it('windows-1252 declared only in the XML prolog', () => {
    const body = iconv.encode(xml('windows-1252', CURLY), 'windows-1252');
    expect(titleOf(decodeBody(body, 'application/xml'))).toBe(CURLY);
  });

  it('ISO-8859-1 from the prolog', () => {
    const body = iconv.encode(xml('ISO-8859-1', LATIN), 'latin1');
    const decoded = decodeBodyDetailed(body, null);
    expect(titleOf(decoded.text)).toBe(LATIN);
    expect(decoded.source).toBe('xml');
  });

  it('ISO-8859-1 from a quoted header charset', () => {
    const body = iconv.encode(xml(null, LATIN), 'latin1');
    expect(titleOf(decodeBody(body, 'text/xml; charset="ISO-8859-1"'))).toBe(LATIN);
  });

  it('Shift_JIS declared only in the XML prolog', () => {
    const body = iconv.encode(xml('Shift_JIS', JAPANESE), 'shift_jis');
    const decoded = decodeBodyDetailed(body, 'application/rss+xml');
    expect(titleOf(decoded.text)).toBe(JAPANESE);
    expect(decoded.encoding).toBe('shift_jis');
  });

  it('UTF-16 LE with BOM', () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(xml('UTF-16', LATIN + JAPANESE), 'utf-16le')]);
    const text = decodeBody(body, null);
    expect(text.startsWith('<?xml')).toBe(true);
    expect(titleOf(text)).toBe(LATIN + JAPANESE);
  });

  it('UTF-16 BE with BOM', () => {
    const body = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(xml('UTF-16', CURLY), 'utf-16be')]);
    expect(titleOf(decodeBody(body, 'application/xml; charset=utf-8'))).toBe(CURLY);
  });

  it('UTF-16 LE without BOM, found by the <?xml prefix', () => {
    const body = iconv.encode(xml('UTF-16', LATIN), 'utf-16le');
    expect(titleOf(decodeBody(body, null))).toBe(LATIN);
  });

  it('UTF-8 BOM is stripped and wins over a contradicting header', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('utf-8', CURLY), 'utf8')]);
    const text = decodeBody(body, 'text/xml; charset=iso-8859-1');
    expect(text.charCodeAt(0)).toBe('<'.charCodeAt(0));
    expect(titleOf(text)).toBe(CURLY);
  });

  it('plain UTF-8 with no label at all', () => {
    expect(titleOf(decodeBody(Buffer.from(xml(null, JAPANESE), 'utf8'), null))).toBe(JAPANESE);
  });

  it('valid UTF-8 under a contradicting ISO-8859-1 prolog stays UTF-8 (Miniflux rule)', () => {
    const decoded = decodeBodyDetailed(Buffer.from(xml('ISO-8859-1', LATIN), 'utf8'), null);
    expect(titleOf(decoded.text)).toBe(LATIN);
    expect(decoded.overridden).toBe(true);
  });

  it('valid UTF-8 under a contradicting windows-1252 header stays UTF-8', () => {
    expect(titleOf(decodeBody(Buffer.from(xml(null, CURLY), 'utf8'), 'text/xml; charset=windows-1252'))).toBe(CURLY);
  });

  it('Latin-1 bytes under a UTF-8 label are read as windows-1252, not replacement characters', () => {
    const body = iconv.encode(xml('utf-8', LATIN), 'latin1');
    expect(titleOf(decodeBody(body, null))).toBe(LATIN);
  });

  it('an unknown charset label falls back to UTF-8 with a warning, not a crash', () => {
    const warnings: unknown[] = [];
    // Only warn() is called on this path; a real pino logger would hide what was logged.
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    const text = decodeBody(Buffer.from(xml('x-no-such-charset', LATIN), 'utf8'), null, { logger });
    expect(titleOf(text)).toBe(LATIN);
    expect(warnings).toHaveLength(1);
    expect(titleOf(decodeBody(Buffer.from(xml(null, LATIN), 'utf8'), 'text/xml; charset=bogus'))).toBe(LATIN);
  });

  it('HTML meta charset', () => {
    const html = `<html><head><meta charset="iso-8859-1"><title>${LATIN}</title></head></html>`;
    expect(titleOf(decodeBody(iconv.encode(html, 'latin1'), 'text/html'))).toBe(LATIN);
  });

  it('HTML http-equiv charset', () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>${CURLY}</title></head></html>`;
    expect(titleOf(decodeBody(iconv.encode(html, 'windows-1252'), null))).toBe(CURLY);
  });

  it('a labelled legacy encoding iconv-lite knows but WHATWG does not', () => {
    const body = iconv.encode(xml('cp437', 'caf\u00E9'), 'cp437');
    expect(titleOf(decodeBody(body, null))).toBe('caf\u00E9');
  });

  it('binary and still-compressed bodies are a Decode error', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    expect(() => decodeBody(png, 'application/xml')).toThrow(SecwireError);
    const gzip = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
    expect(() => decodeBody(gzip, null)).toThrowError(/gzip/);
    try {
      decodeBody(gzip, null);
    } catch (error) {
      expect((error as SecwireError).kind).toBe('Decode');
    }
  });

  it('odd-length UTF-16 is a Decode error', () => {
    const body = Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x72]);
    expect(() => decodeBody(body, null)).toThrowError(/UTF-16|utf-16/i);
  });

  it('an empty body is an empty string', () => {
    expect(decodeBody(Buffer.alloc(0), null)).toBe('');
  });
});
