/**
 * Feed text to ParsedFeed: RSS 0.9x, RSS 1.0 (RDF), RSS 2.0 and Atom through rss-parser, JSON Feed 1.0/1.1
 * through our own reader, all normalised to FeedItem. Every item is kept: nothing is capped here.
 *
 * Failures are SecwireError only: NotAFeed (HTML, plain text, empty, JSON or XML of another kind) or
 * ParseError (a feed too broken to read, with the parser's message).
 */
import { SecwireError, isSecwireError } from '../../errors.js';
import type { ParsedFeed } from '../../types.js';
import { readAtom } from './atom.js';
import { describeNonFeed, detectFeedFormat } from './detect.js';
import { readJsonFeed } from './jsonfeed.js';
import { readRss } from './rss.js';
import { prepareXml, readXmlFeed } from './xml.js';

export { detectFeedFormat } from './detect.js';

export interface ParseFeedOptions {
  /** The clock for dates without a year or with two digits (tests pin it). */
  now?: Date;
}

export async function parseFeed(text: string, baseUrl: string, options: ParseFeedOptions = {}): Promise<ParsedFeed> {
  const now = options.now ?? new Date();
  try {
    const format = detectFeedFormat(text) ?? detectFeedFormat(prepareXml(text));
    if (format === null) throw new SecwireError('NotAFeed', describeNonFeed(text));
    if (format === 'json') return readJsonFeed(text, baseUrl, now);
    const raw = await readXmlFeed(text);
    if (raw.root === undefined) throw new SecwireError('ParseError', 'the feed has no root element');
    return raw.dialect === 'atom' ? readAtom(raw, baseUrl, now) : readRss(raw, format === 'atom' ? 'rss2' : format, baseUrl, now);
  } catch (error) {
    if (isSecwireError(error)) throw error;
    // Anything else is a bug on a shape of input we did not foresee: still one named kind for the caller.
    throw new SecwireError('ParseError', `could not read the feed: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
  }
}
