import { describe, expect, it } from 'vitest';
import { isHtmlInsteadOfFeed } from './http-sniff.js';

const sniff = (body: string, contentType: string | null): boolean => isHtmlInsteadOfFeed(Buffer.from(body, 'utf8'), contentType);

describe('isHtmlInsteadOfFeed', () => {
  it('lets feeds through whatever their Content-Type says', () => {
    expect(sniff('<?xml version="1.0"?><rss version="2.0"><channel/></rss>', 'text/html')).toBe(false);
    expect(sniff('\uFEFF<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'text/html; charset=utf-8')).toBe(false);
    expect(sniff('  {"version": "https://jsonfeed.org/version/1.1", "items": []}', 'text/html')).toBe(false);
    expect(sniff('<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', null)).toBe(false);
  });

  it('spots HTML by its opening, even when labelled as XML', () => {
    expect(sniff('<!DOCTYPE html><html><head></head></html>', 'application/rss+xml')).toBe(true);
    expect(sniff('<!-- cached --> <html lang="en"><body></body></html>', null)).toBe(true);
  });

  it('trusts a text/html label when the body says nothing', () => {
    expect(sniff('<div>fragment</div>', 'text/html')).toBe(true);
    expect(sniff('<div>fragment</div>', 'application/xml')).toBe(false);
  });
});
