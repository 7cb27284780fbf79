/**
 * Routes of the fixture site that misbehave on purpose, and feeds in the encodings real publishers use,
 * for the fetch and parse tests. Titles are known so tests can check the decoded text exactly.
 */
import iconv from 'iconv-lite';
import { escapeXml } from './fixture-html.js';

export const FIXTURE_FAULTS = {
  /** 500 Internal Server Error. */
  serverError: '/faults/500.xml',
  /** 404 Not Found. */
  notFound: '/faults/404.xml',
  /** 503 with `Retry-After: 120`. */
  retryAfter: '/faults/503-retry-after.xml',
  /** Accepts the request and never answers (closed by `FixtureSite.close()`). */
  hang: '/faults/hang.xml',
  /** An HTML page instead of a feed, advertising the real feed with `<link rel="alternate">`. */
  htmlNotFeed: '/faults/html-not-feed.html',
  /** 301 to the Breach Ledger feed. */
  redirect: '/faults/redirect.xml',
  /** 302 to itself, forever. */
  redirectLoop: '/faults/redirect-loop.xml',
  /** An RSS document cut off in the middle of an item. */
  malformed: '/faults/malformed.xml',
  /** A valid RSS document of `HUGE_FEED_BYTES` bytes, streamed, to trip size limits. */
  huge: '/faults/huge.xml',
} as const;

/** Larger than the default `fetch.maxBytes` (10 MiB). */
export const HUGE_FEED_BYTES = 11 * 1024 * 1024;

export interface EncodingCase {
  path: string;
  /** Name as iconv-lite and the XML prolog know it. */
  encoding: string;
  /** The channel title after correct decoding. */
  expectedTitle: string;
  /** The only item's title after correct decoding. */
  expectedItemTitle: string;
}

/** Each served with `Content-Type: application/rss+xml` and no charset: only the BOM or the prolog tells. */
export const ENCODING_CASES: readonly EncodingCase[] = [
  {
    path: '/encodings/windows-1252.xml',
    encoding: 'windows-1252',
    expectedTitle: 'Sikkerhedsnyt – “Årets” trusler € Ærø',
    expectedItemTitle: 'Jørgen Ødegård’s team patches Œuvre CMS — €5 bounty…',
  },
  {
    path: '/encodings/iso-8859-1.xml',
    encoding: 'iso-8859-1',
    expectedTitle: 'Säkerhetsbladet för Örebro',
    expectedItemTitle: 'Åsa Ström: ransomware slår ut kommunens växel, säger Ørjan Näslund',
  },
  {
    path: '/encodings/utf-16le-bom.xml',
    encoding: 'utf-16le',
    expectedTitle: 'Κυβερνοασφάλεια Daily · Überblick',
    expectedItemTitle: 'Ευπάθεια στο Citrix: naïve patch misses CVE-2023-4966 ✓',
  },
  {
    path: '/encodings/utf-16be-bom.xml',
    encoding: 'utf-16be',
    expectedTitle: 'Кибербезопасность weekly',
    expectedItemTitle: 'Группа APT29 снова атакует дипломатов — «винный» фишинг',
  },
  {
    path: '/encodings/shift_jis.xml',
    encoding: 'Shift_JIS',
    expectedTitle: 'セキュリティ速報（東京）',
    expectedItemTitle: '清原電機、不正アクセスで取引先情報が流出した可能性',
  },
];

function encodingFeedXml(baseUrl: string, testCase: EncodingCase, prologEncoding: string): string {
  const link = `${baseUrl}/encodings/items/${testCase.encoding.toLowerCase()}`;
  return `<?xml version="1.0" encoding="${prologEncoding}"?>
<rss version="2.0">
<channel>
<title>${escapeXml(testCase.expectedTitle)}</title>
<link>${baseUrl}/encodings/</link>
<description>Encoding test feed (${testCase.encoding})</description>
<item>
<title>${escapeXml(testCase.expectedItemTitle)}</title>
<link>${link}</link>
<guid>${link}</guid>
<pubDate>Mon, 12 Oct 2026 09:00:00 +0200</pubDate>
<description>${escapeXml(testCase.expectedItemTitle)}</description>
</item>
</channel>
</rss>
`;
}

/** The bytes of one encoding case: BOM (for UTF-16) plus the document in that encoding. */
export function encodingFeedBytes(baseUrl: string, testCase: EncodingCase): Buffer {
  if (testCase.encoding === 'utf-16le') {
    return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(encodingFeedXml(baseUrl, testCase, 'UTF-16'), 'utf16le')]);
  }
  if (testCase.encoding === 'utf-16be') {
    return Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(encodingFeedXml(baseUrl, testCase, 'UTF-16'), 'utf16be')]);
  }
  return iconv.encode(encodingFeedXml(baseUrl, testCase, testCase.encoding), testCase.encoding);
}

export function htmlNotFeedPage(baseUrl: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Breach Ledger — home</title>
<link rel="alternate" type="application/rss+xml" title="Breach Ledger" href="/breach-ledger/feed.xml">
<link rel="alternate" type="application/rss+xml" title="Comments" href="/breach-ledger/comments/feed.xml">
</head><body><h1>Breach Ledger</h1><p>This is a home page, not a feed. Subscribe at <a href="${baseUrl}/breach-ledger/feed.xml">our RSS feed</a>.</p></body></html>
`;
}

export function malformedFeed(baseUrl: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Broken feed</title><link>${baseUrl}/</link>
<item><title>This item never ends</title><link>${baseUrl}/broken/1</link><description>Cut off mid`;
}

/** The opening and closing of the huge feed; the server streams padding comments in between. */
export const HUGE_FEED_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Huge feed</title><link>http://127.0.0.1/</link><description>Padding follows</description>\n';
export const HUGE_FEED_TAIL = '</channel></rss>\n';
