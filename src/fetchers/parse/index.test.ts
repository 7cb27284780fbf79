import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { SecwireError } from '../../errors.js';
import type { ParsedFeed } from '../../types.js';
import { decodeBody } from '../charset.js';
import { detectFeedFormat, parseFeed } from './index.js';

const NOW = new Date('2025-07-25T12:00:00Z');
const FEED_URL = 'https://news.example.test/feeds/main.xml';

function parse(text: string, baseUrl = FEED_URL): Promise<ParsedFeed> {
  return parseFeed(text, baseUrl, { now: NOW });
}

async function failure(text: string): Promise<SecwireError> {
  try {
    await parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SecwireError);
    return error as SecwireError;
  }
  throw new Error('expected parseFeed to fail');
}

const RSS2 = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
  <title>Example Security Wire</title>
  <link>https://news.example.test/</link>
  <atom:link href="https://news.example.test/feeds/main.xml" rel="self" type="application/rss+xml"/>
  <description>Synthetic security news</description>
  <language>en-gb</language>
  <lastBuildDate>Thu, 24 Jul 2025 13:38:14 +0000</lastBuildDate>
  <ttl>30</ttl>
  <item>
    <title>Patch now: &lt;b&gt;CVE-2025-0001&lt;/b&gt; in Acme &amp;amp; Co&#8217;s "Gateway" &lt; 2.0</title>
    <link>/2025/07/patch-now?utm_source=rss</link>
    <guid isPermaLink="false">acme-0001</guid>
    <pubDate>Thu, 24 Jul 2025 05:53:14 -0400</pubDate>
    <dc:creator>Jane Analyst</dc:creator>
    <author>press@news.example.test (Press Desk)</author>
    <category>Vulnerabilities</category>
    <category><![CDATA[Patch Tuesday]]></category>
    <description><![CDATA[<p>Acme fixed a <em>critical</em> bug.</p>]]></description>
    <content:encoded><![CDATA[<p>Full text &amp; details.</p>]]></content:encoded>
    <enclosure url="https://cdn.example.test/audio.mp3" type="audio/mpeg" length="12345"/>
    <media:content url="https://cdn.example.test/photo.jpg" type="image/jpeg"/>
    <media:thumbnail url="/thumb.jpg"/>
  </item>
  <item>
    <title>Second &amp;nbsp;item</title>
    <guid>https://news.example.test/2025/07/second</guid>
    <itunes:author>Pod Host</itunes:author>
  </item>
  <item>
    <title>Bad links</title>
    <link>javascript:alert(1)</link>
    <pubDate>sometime last week</pubDate>
  </item>
</channel>
</rss>`;

describe('parseFeed: RSS 2.0', () => {
  it('reads the channel', async () => {
    const feed = await parse(RSS2);
    expect(feed).toMatchObject({
      format: 'rss2',
      title: 'Example Security Wire',
      link: 'https://news.example.test/',
      description: 'Synthetic security news',
      language: 'en-gb',
      updated: '2025-07-24T13:38:14.000Z',
      ttlMinutes: 30,
    });
    expect(feed.items).toHaveLength(3);
  });

  it('normalises an item', async () => {
    const [item] = (await parse(RSS2)).items;
    expect(item).toEqual({
      id: 'acme-0001',
      title: 'Patch now: CVE-2025-0001 in Acme & Co\u2019s "Gateway" < 2.0',
      link: 'https://news.example.test/2025/07/patch-now?utm_source=rss',
      published: '2025-07-24T09:53:14.000Z',
      updated: null,
      authors: ['Jane Analyst', 'Press Desk'],
      summary: '<p>Acme fixed a <em>critical</em> bug.</p>',
      content: '<p>Full text &amp; details.</p>',
      categories: ['Vulnerabilities', 'Patch Tuesday'],
      enclosures: [
        { url: 'https://cdn.example.test/audio.mp3', type: 'audio/mpeg', length: 12345 },
        { url: 'https://cdn.example.test/photo.jpg', type: 'image/jpeg', length: null },
        { url: 'https://news.example.test/thumb.jpg', type: null, length: null },
      ],
    });
  });

  it('uses a permalink guid as the link, and itunes:author', async () => {
    const item = (await parse(RSS2)).items[1];
    expect(item?.link).toBe('https://news.example.test/2025/07/second');
    expect(item?.id).toBe('https://news.example.test/2025/07/second');
    expect(item?.authors).toEqual(['Pod Host']);
    // Titles collapse every kind of white space, the no-break space included.
    expect(item?.title).toBe('Second item');
  });

  it('drops non-http links and keeps unparseable or missing dates null', async () => {
    const item = (await parse(RSS2)).items[2];
    expect(item?.link).toBeNull();
    expect(item?.published).toBeNull();
    expect(item?.updated).toBeNull();
    expect(item?.id).toBeNull();
    expect((await parse(RSS2)).items[1]?.published).toBeNull();
  });

  it('keeps every item: no cap', async () => {
    const items = Array.from({ length: 1500 }, (_, index) => `<item><title>n${index}</title></item>`).join('');
    const feed = await parse(`<rss version="2.0"><channel><title>big</title>${items}</channel></rss>`);
    expect(feed.items).toHaveLength(1500);
  });

  it('turns sy:updatePeriod/updateFrequency into minutes', async () => {
    const feed = await parse(`<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>t</title>
      <sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency></channel></rss>`);
    expect(feed.ttlMinutes).toBe(15);
  });
});

describe('parseFeed: RSS 0.91 and RSS 1.0', () => {
  it('RSS 0.91 with the Netscape doctype and HTML entities', async () => {
    const feed = await parse(`<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old&nbsp;School</title><link>http://old.example.test/</link>
<description>d</description><language>en-us</language>
<item><title>Caf&eacute; &amp; cr&egrave;me</title><link>http://old.example.test/1</link><description>one</description></item>
</channel></rss>`);
    expect(feed.format).toBe('rss09');
    expect(feed.title).toBe('Old School');
    expect(feed.items[0]).toMatchObject({ title: 'Caf\u00E9 & cr\u00E8me', link: 'http://old.example.test/1', summary: 'one' });
  });

  it('RSS 1.0 (RDF) with dc:date and rdf:about', async () => {
    const feed = await parse(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.test/"><title>RDF Wire</title><link>https://rdf.example.test/</link><description>r</description>
    <dc:language>fr</dc:language><dc:date>2025-07-24T10:00:00+02:00</dc:date></channel>
  <item rdf:about="https://rdf.example.test/a"><title>First</title><link>https://rdf.example.test/a</link>
    <dc:date>2025-07-24T09:00:00+02:00</dc:date><dc:creator>Marie</dc:creator><dc:subject>ransomware</dc:subject></item>
  <item rdf:about="https://rdf.example.test/b"><title>Second</title></item>
</rdf:RDF>`);
    expect(feed).toMatchObject({ format: 'rss1', title: 'RDF Wire', language: 'fr', updated: '2025-07-24T08:00:00.000Z' });
    expect(feed.items[0]).toMatchObject({
      id: 'https://rdf.example.test/a',
      link: 'https://rdf.example.test/a',
      published: '2025-07-24T07:00:00.000Z',
      authors: ['Marie'],
      categories: ['ransomware'],
    });
    expect(feed.items[1]?.link).toBe('https://rdf.example.test/b');
  });

  it('RSS 0.90 (RDF with the Netscape namespace)', async () => {
    const feed = await parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>Ninety</title><link>http://ninety.example.test/</link></channel><item><title>x</title><link>http://ninety.example.test/x</link></item></rdf:RDF>`);
    expect(feed.format).toBe('rss09');
    expect(feed.items[0]?.link).toBe('http://ninety.example.test/x');
  });
});

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.test/security/" xml:lang="de">
  <title type="html">Threat &amp;lt;Intel&amp;gt; Blog</title>
  <subtitle>Notes</subtitle>
  <link rel="self" href="/feed.atom"/>
  <link href="./"/>
  <updated>2025-07-24T10:00:00Z</updated>
  <author><name>Team Blue</name></author>
  <id>urn:uuid:feed</id>
  <entry>
    <title type="text">A &lt;script&gt; tag &amp; "quotes"</title>
    <link rel="alternate" type="text/html" href="posts/one.html"/>
    <link rel="enclosure" href="/files/report.pdf" type="application/pdf" length="2048"/>
    <id>tag:blog.example.test,2025:one</id>
    <published>2025-07-23T08:00:00+02:00</published>
    <updated>2025-07-24T08:00:00+02:00</updated>
    <author><name>Eve Researcher</name><email>eve@blog.example.test</email></author>
    <category term="apt" label="APT"/>
    <summary>Short &amp; sweet</summary>
    <content type="html">&lt;p&gt;Body &amp;amp; more&lt;/p&gt;</content>
  </entry>
  <entry xml:base="/archive/2025/">
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Rich <b>title</b> here</div></title>
    <link href="two.html"/>
    <id>tag:blog.example.test,2025:two</id>
    <updated>2025-07-22T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First <em>para</em> end.</p></div></content>
  </entry>
  <entry>
    <title>Only updated, bad date</title>
    <link href="https://other.example.test/x"/>
    <id>three</id>
    <updated>not a date</updated>
    <content type="text">plain &lt;text&gt;</content>
  </entry>
</feed>`;

describe('parseFeed: Atom 1.0', () => {
  it('reads the feed with xml:base and a relative alternate link', async () => {
    const feed = await parse(ATOM);
    expect(feed).toMatchObject({
      format: 'atom',
      title: 'Threat <Intel> Blog',
      link: 'https://blog.example.test/security/',
      description: 'Notes',
      language: 'de',
      updated: '2025-07-24T10:00:00.000Z',
    });
    expect(feed.items).toHaveLength(3);
  });

  it('resolves entry links against xml:base and keeps text titles as text', async () => {
    const [one, two] = (await parse(ATOM)).items;
    expect(one).toEqual({
      id: 'tag:blog.example.test,2025:one',
      title: 'A <script> tag & "quotes"',
      link: 'https://blog.example.test/security/posts/one.html',
      published: '2025-07-23T06:00:00.000Z',
      updated: '2025-07-24T06:00:00.000Z',
      authors: ['Eve Researcher'],
      summary: 'Short & sweet',
      content: '<p>Body &amp; more</p>',
      categories: ['apt'],
      enclosures: [{ url: 'https://blog.example.test/files/report.pdf', type: 'application/pdf', length: 2048 }],
    });
    expect(two?.link).toBe('https://blog.example.test/archive/2025/two.html');
    expect(two?.title).toBe('Rich title here');
    expect(two?.content).toBe('<p>First <em>para</em> end.</p>');
    expect(two?.authors).toEqual(['Team Blue']);
    expect(two?.published).toBe('2025-07-22T08:00:00.000Z');
  });

  it('an unparseable date is null, not a failed feed; text content is escaped to HTML', async () => {
    const three = (await parse(ATOM)).items[2];
    expect(three?.published).toBeNull();
    expect(three?.updated).toBeNull();
    expect(three?.content).toBe('plain &lt;text&gt;');
    expect(three?.link).toBe('https://other.example.test/x');
  });
});

describe('parseFeed: odd but real spellings', () => {
  it('Atom under a namespace prefix', async () => {
    const feed = await parse(`<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>Prefixed</a:title>
      <a:entry><a:title>One</a:title><a:link href="https://p.example.test/1"/><a:id>1</a:id><a:updated>2025-07-24T10:00:00Z</a:updated></a:entry></a:feed>`);
    expect(feed.format).toBe('atom');
    expect(feed.items[0]).toMatchObject({ title: 'One', link: 'https://p.example.test/1', published: '2025-07-24T10:00:00.000Z' });
  });

  it('Atom 0.3 with base64 and inline xhtml titles, issued and modified', async () => {
    const feed = await parse(`<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old Atom</title><tagline>tag</tagline>
      <entry><title mode="base64">${Buffer.from('Encoded title').toString('base64')}</title><issued>2004-01-01T00:00:00Z</issued><modified>2004-01-02T00:00:00Z</modified></entry>
      <entry><title type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <b>title</b></p></div></title></entry></feed>`);
    expect(feed.description).toBe('tag');
    expect(feed.items[0]).toMatchObject({ title: 'Encoded title', published: '2004-01-01T00:00:00.000Z', updated: '2004-01-02T00:00:00.000Z' });
    expect(feed.items[1]?.title).toBe('Inline title');
  });

  it('an RSS title with unescaped markup keeps its text', async () => {
    const feed = await parse('<rss version="2.0"><channel><title>t</title><item><title><p>Naked <b>markup</b></p></title></item></channel></rss>');
    expect(feed.items[0]?.title).toMatch(/^Naked\s+markup$/);
  });

  it('a JSON Feed with a bare version number', async () => {
    const feed = await parse(JSON.stringify({ version: '1.1', title: 'Bare', items: [{ id: 'a', title: 'A', url: 'https://b.example.test/a' }] }));
    expect(feed.format).toBe('json');
    expect(feed.items).toHaveLength(1);
  });
});

describe('parseFeed: JSON Feed', () => {
  it('JSON Feed 1.1', async () => {
    const feed = await parse(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'JSON Wire',
        home_page_url: 'https://json.example.test/',
        feed_url: 'https://json.example.test/feed.json',
        description: 'j',
        language: 'en',
        authors: [{ name: 'Desk' }],
        items: [
          {
            id: 'j1',
            url: '/posts/j1',
            title: '  Spaced   out  ',
            content_html: '<p>hi</p>',
            summary: 'sum',
            date_published: '2025-07-24T10:00:00-04:00',
            date_modified: '2025-07-24T12:00:00Z',
            tags: ['cve', 'kev'],
            attachments: [{ url: 'https://json.example.test/a.mp3', mime_type: 'audio/mpeg', size_in_bytes: 99 }],
          },
          { id: 2, external_url: 'https://elsewhere.example.test/x', content_text: 'a < b', authors: [{ name: 'Solo' }] },
        ],
      }),
    );
    expect(feed).toMatchObject({ format: 'json', title: 'JSON Wire', link: 'https://json.example.test/', language: 'en', description: 'j' });
    expect(feed.items[0]).toEqual({
      id: 'j1',
      title: 'Spaced out',
      link: 'https://json.example.test/posts/j1',
      published: '2025-07-24T14:00:00.000Z',
      updated: '2025-07-24T12:00:00.000Z',
      authors: ['Desk'],
      summary: 'sum',
      content: '<p>hi</p>',
      categories: ['cve', 'kev'],
      enclosures: [{ url: 'https://json.example.test/a.mp3', type: 'audio/mpeg', length: 99 }],
    });
    expect(feed.items[1]).toMatchObject({ id: '2', title: '', link: 'https://elsewhere.example.test/x', content: 'a &lt; b', authors: ['Solo'], published: null });
  });

  it('JSON Feed text that still starts with a BOM', async () => {
    const feed = await parse(`\uFEFF${JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'B', items: [] })}`);
    expect(feed.title).toBe('B');
  });

  it('JSON Feed 1.0 with a single author object', async () => {
    const feed = await parse(
      JSON.stringify({ version: 'https://jsonfeed.org/version/1', title: 'Old JSON', author: { name: 'Ann' }, items: [{ id: 'x', url: 'https://o.example.test/x', title: 't' }] }),
    );
    expect(feed.format).toBe('json');
    expect(feed.items[0]?.authors).toEqual(['Ann']);
  });

  it('broken JSON Feed is a ParseError, other JSON is NotAFeed', async () => {
    expect((await failure('{"version": "https://jsonfeed.org/version/1.1", "items": [')).kind).toBe('ParseError');
    expect((await failure('{"hello": "world"}')).kind).toBe('NotAFeed');
  });
});

describe('parseFeed: what is not a feed', () => {
  it.each([
    ['an HTML page', '<!DOCTYPE html><html><head><title>Home</title></head><body><p>hi</p></body></html>'],
    ['random text', 'Service temporarily unavailable'],
    ['an empty body', ''],
    ['whitespace', '   \n '],
    ['another XML vocabulary', '<?xml version="1.0"?><opml version="2.0"><body/></opml>'],
  ])('%s is NotAFeed', async (_name, text) => {
    expect((await failure(text)).kind).toBe('NotAFeed');
  });

  it('says what an HTML page is', async () => {
    expect((await failure('<html><body>x</body></html>')).message).toMatch(/HTML/);
  });
});

describe('parseFeed: broken XML', () => {
  it('bare ampersands and unknown entities are repaired', async () => {
    const feed = await parse('<rss version="2.0"><channel><title>R&D &copy; News</title><item><title>A & B&hellip;</title><link>https://x.example.test/?a=1&b=2</link></item></channel></rss>');
    expect(feed.title).toBe('R&D \u00A9 News');
    expect(feed.items[0]?.title).toBe('A & B\u2026');
    expect(feed.items[0]?.link).toBe('https://x.example.test/?a=1&b=2');
  });

  it('a truncated feed keeps the items it has', async () => {
    const feed = await parse('<rss version="2.0"><channel><title>Cut</title><item><title>one</title></item><item><title>tw');
    expect(feed.items.map((item) => item.title)).toEqual(['one', 'tw']);
  });

  it('control characters and junk before the prolog are dropped', async () => {
    const feed = await parse('Warning: something\n<?xml version="1.0"?><rss version="2.0"><channel><title>Ctl\u0001 chars\u000B</title></channel></rss>');
    expect(feed.title).toBe('Ctl chars');
  });

  it('XML that cannot be saved is a ParseError with the parser message', async () => {
    const error = await failure('<rss version="2.0"><channel><1item>x</1item></channel></rss>');
    expect(error.kind).toBe('ParseError');
    expect(error.message).toMatch(/^broken XML: Unencoded </);
  });

  it('trailing garbage after the root is tolerated', async () => {
    const feed = await parse('<rss version="2.0"><channel><title>x</title></channel></rss><rss version="2.0"></rss><<<>>>');
    expect(feed.title).toBe('x');
  });

  it('DOCTYPE entity definitions are refused', async () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>';
    let title: string | null | undefined;
    try {
      title = (await parse(bomb)).title;
    } catch (error) {
      expect(error).toBeInstanceOf(SecwireError);
      return;
    }
    expect(title).not.toContain('aaaaaaaaaa');
  });
});

describe('parseFeed after decodeBody: odd encodings round-trip', () => {
  const TITLE = 'Caf\u00E9 \u201Cs\u00FBret\u00E9\u201D \u2014 \u20AC1 \u2019';
  const rss = (prolog: string, title: string): string => `${prolog}<rss version="2.0"><channel><title>${title}</title><item><title>${title}</title></item></channel></rss>`;

  it('windows-1252 with curly quotes and the euro sign', async () => {
    const body = iconv.encode(rss('<?xml version="1.0" encoding="windows-1252"?>', TITLE), 'windows-1252');
    expect((await parse(decodeBody(body, 'application/rss+xml'))).items[0]?.title).toBe(TITLE);
  });

  it('ISO-8859-1 from the header', async () => {
    const latin = 'Caf\u00E9 cr\u00E8me \u00BD';
    const body = iconv.encode(rss('', latin), 'latin1');
    expect((await parse(decodeBody(body, 'text/xml; charset=ISO-8859-1'))).title).toBe(latin);
  });

  it('UTF-16 LE and BE with BOM', async () => {
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      const bom = encoding === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff];
      const body = Buffer.concat([Buffer.from(bom), iconv.encode(rss('<?xml version="1.0" encoding="UTF-16"?>', TITLE), encoding)]);
      expect((await parse(decodeBody(body, null))).items[0]?.title).toBe(TITLE);
    }
  });

  it('Shift_JIS declared only in the XML prolog', async () => {
    const japanese = '\u8106\u5F31\u6027\u60C5\u5831';
    const body = iconv.encode(rss('<?xml version="1.0" encoding="Shift_JIS"?>', japanese), 'shift_jis');
    expect((await parse(decodeBody(body, 'application/xml'))).items[0]?.title).toBe(japanese);
  });

  it('UTF-8 with BOM', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(rss('<?xml version="1.0" encoding="utf-8"?>', TITLE), 'utf8')]);
    expect((await parse(decodeBody(body, 'application/rss+xml; charset=utf-8'))).items[0]?.title).toBe(TITLE);
  });
});

describe('detectFeedFormat', () => {
  it.each([
    ['<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>', 'rss2'],
    ['<rss version="0.92"><channel/></rss>', 'rss09'],
    ['<rss><channel/></rss>', 'rss2'],
    ['<rdf:RDF xmlns:rdf="x" xmlns="http://purl.org/rss/1.0/"></rdf:RDF>', 'rss1'],
    ['\uFEFF<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'atom'],
    ['{"version":"https://jsonfeed.org/version/1.1","items":[]}', 'json'],
    ['<html><body/></html>', null],
    ['{"version":"2"}', null],
    ['hello', null],
  ] as const)('%s', (text, expected) => {
    expect(detectFeedFormat(text)).toBe(expected);
  });
});
