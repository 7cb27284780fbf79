import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A loopback site of hostile sources next to good ones, for the hostile-input battery: malformed XML of each
 * kind, invalid UTF-8 and NUL bytes, a 100k-item feed, 10k-level nested pages, and active content
 * (scripts, handlers, `javascript:`/`data:` links, CSS expressions, meta refresh) in items and article pages.
 * Every payload calls `pwn(...)` or names `evil.test`, so a leak is easy to grep for.
 */

/** The active-content payloads, each a way to run script in a reader or a browser. */
/** A path that accepts the request and never answers. */
export const HANG_PATH = '/hang.xml';

export const ACTIVE_PAYLOADS = [
  '<script>pwn(1)</script>',
  '<script src="https://evil.test/x.js"></script>',
  '<img src="https://img.example.test/a.png" onerror="pwn(2)">',
  '<img src=x onerror=pwn(3)>',
  '<svg onload="pwn(4)"><circle r="1"/></svg>',
  '<svg><script>pwn(5)</script></svg>',
  '<a href="javascript:pwn(6)">click</a>',
  '<a href="JaVaScRiPt&colon;pwn(7)">entity-encoded scheme</a>',
  '<a href=" &#106;avascript:pwn(8)">numeric-entity scheme</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5wd24oOSk8L3NjcmlwdD4=">data link</a>',
  '<img src="data:image/svg+xml,%3Csvg onload=pwn(10)%3E">',
  '<p style="width: expression(pwn(11))">css expression</p>',
  '<div style="background:url(javascript:pwn(12))">css url</div>',
  '<style>body{background:url("javascript:pwn(13)")}</style>',
  '<meta http-equiv="refresh" content="0;url=https://evil.test/">',
  '<iframe src="https://evil.test/frame"></iframe>',
  '<object data="https://evil.test/x.swf"></object><embed src="https://evil.test/x.swf">',
  '<form action="https://evil.test/"><input name="q"><button formaction="javascript:pwn(14)">go</button></form>',
  '<base href="https://evil.test/">',
  '<link rel="stylesheet" href="https://evil.test/x.css">',
  '<math><mtext><table><mglyph><style><img src=x onerror=pwn(15)></style></mglyph></table></mtext></math>',
  '<noscript><p title="</noscript><img src=x onerror=pwn(16)>"></noscript>',
  '<details open ontoggle="pwn(17)">x</details>',
  '<video><source onerror="pwn(18)"></video>',
  '<a href="vbscript:pwn(19)">vb</a>',
].join('\n');

const PROSE = '<p>Researchers at a fictional lab described a campaign against routers in detail, with indicators and advice for defenders.</p>';

export interface HostileSource {
  id: string;
  path: string;
  /** Fetch and extract article pages. */
  articles: boolean;
  /** A good source: every one of its items must be stored. */
  good?: { links: string[] };
}

export interface HostileSite {
  url: string;
  hostPort: string;
  sources: HostileSource[];
  /** Items in the huge feed. */
  hugeItems: number;
  close(): Promise<void>;
}

export interface HostileSiteOptions {
  hugeItems?: number;
  nestingDepth?: number;
}

interface Route {
  contentType: string;
  body: Buffer | string;
}

function rss(title: string, items: string, namespaces = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"${namespaces}><channel><title>${title}</title><link>https://example.test/</link>\n${items}</channel></rss>`;
}

function cdata(html: string): string {
  return `<![CDATA[${html.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<meta http-equiv="refresh" content="0;url=https://evil.test/"><script>pwn('head')</script>
<meta property="article:published_time" content="2026-11-20T10:00:00Z"></head>
<body onload="pwn('body')"><nav><a href="/">Home</a></nav><article><h1>${escapeXml(title)}</h1>${PROSE}${body}${PROSE}</article></body></html>`;
}

function nested(depth: number): string {
  return `<!DOCTYPE html><html><head><title>Deep</title></head><body>${'<div>'.repeat(depth)}${PROSE}${'</div>'.repeat(depth)}</body></html>`;
}

/** Starts the site on 127.0.0.1, port 0. */
export async function startHostileSite(options: HostileSiteOptions = {}): Promise<HostileSite> {
  const hugeItems = options.hugeItems ?? 100_000;
  const depth = options.nestingDepth ?? 10_000;
  const routes = new Map<string, Route>();
  const sources: HostileSource[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === HANG_PATH) return; // never answers: the client's timeout must end it
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': route.contentType }).end(route.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const add = (source: HostileSource, route: Route): void => {
    sources.push(source);
    routes.set(source.path, route);
  };
  const xml = (body: string | Buffer): Route => ({ contentType: 'application/rss+xml; charset=utf-8', body });
  const html = (body: string): Route => ({ contentType: 'text/html; charset=utf-8', body });

  for (const outlet of ['good-one', 'good-two']) {
    const links = Array.from({ length: 5 }, (_, i) => `${url}/${outlet}/story-${i}`);
    const items = links.map((link, i) => `<item><title>${outlet} story ${i} on router flaws</title><link>${link}</link><guid>${link}</guid><pubDate>Mon, 2${i} Nov 2026 10:00:00 GMT</pubDate><description>Plain summary ${i} for ${outlet}.</description></item>`).join('\n');
    add({ id: outlet, path: `/${outlet}.xml`, articles: false, good: { links } }, xml(rss(outlet, items)));
  }

  // Malformed XML, one kind per source. A strict parser refuses them, a lenient one recovers: both are fine,
  // as long as the source reports a named error or stores only what it could read.
  const item = (n: string): string => `<item><title>Malformed ${n}</title><link>${url}/malformed/${n}</link></item>`;
  const malformed: Record<string, string> = {
    unclosed: `<rss version="2.0"><channel><title>t</title>${item('unclosed')}<item><title>open`,
    mismatched: `<rss version="2.0"><channel><title>t</title>${item('mismatched')}<item><title>x</link></item></channel></rss>`,
    'undefined-entity': `<rss version="2.0"><channel><title>t &nbsp; &bogus;</title>${item('undefined-entity')}</channel></rss>`,
    'bad-attribute': `<rss version="2.0" a=1 a="2"><channel><title x="<">t</title>${item('bad-attribute')}</channel></rss>`,
    'two-roots': `<rss version="2.0"><channel><title>t</title>${item('two-roots')}</channel></rss><rss><channel></channel></rss>`,
    'garbage-before-declaration': `\n\n  junk<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${item('garbage')}</channel></rss>`,
    'unterminated-cdata': `<rss version="2.0"><channel><title>t</title>${item('cdata')}<item><description><![CDATA[never ends</description></item></channel></rss>`,
    'unterminated-comment': `<rss version="2.0"><channel><title>t</title><!-- never ends ${item('comment')}</channel></rss>`,
    'billion-laughs': `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>${url}/malformed/laughs</link></item></channel></rss>`,
    xxe: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>t</title><item><title>XXE &xxe;</title><link>${url}/malformed/xxe</link><description>&xxe;</description></item></channel></rss>`,
    'deep-xml': `<rss version="2.0"><channel><title>t</title>${item('deep')}<item><title>deep</title><description>${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</description></item></channel></rss>`,
    empty: '',
    'only-declaration': '<?xml version="1.0" encoding="utf-8"?>',
    'wrong-encoding-declared': `<?xml version="1.0" encoding="x-no-such-charset"?><rss version="2.0"><channel><title>t</title>${item('encoding')}</channel></rss>`,
  };
  for (const [kind, body] of Object.entries(malformed)) add({ id: `malformed-${kind}`, path: `/malformed-${kind}.xml`, articles: false }, xml(body));

  const invalidUtf8 = Buffer.concat([
    Buffer.from(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Bytes</title><item><title>Broken `),
    Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]),
    Buffer.from(` bytes</title><link>${url}/bytes/1</link><description>NUL\u0000in\u0000the middle</description></item><item><title>NUL\u0000title</title><link>${url}/bytes/2</link></item></channel></rss>`),
  ]);
  add({ id: 'invalid-utf8', path: '/invalid-utf8.xml', articles: false }, xml(invalidUtf8));

  const hugeBody = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Huge</title>\n${Array.from({ length: hugeItems }, (_, i) => `<item><title>h${i}</title><link>${url}/huge/${i}</link></item>\n`).join('')}</channel></rss>`;
  add({ id: 'huge', path: '/huge.xml', articles: false }, xml(hugeBody));

  // Active content in every field an item carries, in each feed format.
  const activeLinks = [`${url}/active/page-1`, `${url}/active/page-2`, `${url}/active/deep`];
  const activeItems = activeLinks
    .map((link, i) => `<item><title>Active &lt;script&gt;pwn(${i})&lt;/script&gt; title ${i}</title><link>${link}</link><guid>${link}</guid>
<description>${cdata(`Summary ${ACTIVE_PAYLOADS}`)}</description><content:encoded>${cdata(`${PROSE}${ACTIVE_PAYLOADS}`)}</content:encoded></item>`)
    .join('\n');
  add({ id: 'active-rss', path: '/active-rss.xml', articles: true }, xml(rss('Active &lt;script&gt;pwn()&lt;/script&gt;', activeItems)));
  routes.set('/active/page-1', html(page('Page one', ACTIVE_PAYLOADS)));
  routes.set('/active/page-2', html(page('Page two <script>pwn()</script>', `<div onclick="pwn()">${ACTIVE_PAYLOADS}</div>`)));
  routes.set('/active/deep', html(nested(depth)));

  const atomLink = `${url}/active/atom-entry`;
  add(
    { id: 'active-atom', path: '/active-atom.xml', articles: true },
    {
      contentType: 'application/atom+xml',
      body: `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Active atom</title><id>urn:x:active</id><updated>2026-11-20T10:00:00Z</updated>
<entry><title type="html">${escapeXml('Atom <img src=x onerror=pwn()> entry')}</title><id>urn:x:1</id><link href="${atomLink}"/><updated>2026-11-20T10:00:00Z</updated>
<summary type="html">${escapeXml(ACTIVE_PAYLOADS)}</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">${PROSE}<script>pwn('xhtml')</script><a href="javascript:pwn('xhtml')">x</a><img src="https://img.example.test/b.png" onerror="pwn('xhtml')"/></div></content></entry>
<entry><title>Javascript link entry</title><id>urn:x:2</id><link href="javascript:pwn('link')"/><updated>2026-11-20T10:00:00Z</updated><content type="html">${escapeXml(ACTIVE_PAYLOADS)}</content></entry></feed>`,
    },
  );
  routes.set('/active/atom-entry', html(page('Atom entry page', ACTIVE_PAYLOADS)));

  add(
    { id: 'active-json', path: '/active.json', articles: false },
    {
      contentType: 'application/feed+json',
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'Active JSON',
        items: [
          { id: 'j1', url: `${url}/active/json-1`, title: 'JSON <script>pwn()</script> item', content_html: `${PROSE}${ACTIVE_PAYLOADS}`, summary: '<svg onload=pwn()>', date_published: '2026-11-20T10:00:00Z', image: 'javascript:pwn()' },
          { id: 'j2', url: 'data:text/html,<script>pwn()</script>', title: 'Data URL item', content_html: ACTIVE_PAYLOADS },
        ],
      }),
    },
  );

  return {
    url,
    hostPort: `127.0.0.1:${port}`,
    sources,
    hugeItems,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
