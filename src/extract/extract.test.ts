import { describe, expect, it } from 'vitest';
import { ARTICLE_TEXT, PARAGRAPHS, testPage } from '../../test/extract/pages.js';
import { SecwireError } from '../errors.js';
import { extractArticle } from './index.js';

const URL = 'https://news.example.org/story/acme-breach';

function extract(html: string, url = URL) {
  return extractArticle(html, url, { rules: null });
}

describe('boilerplate inside and around the article is removed', () => {
  it.each([
    ['navigation', '<nav><ul><li><a href="/a">Security</a></li><li><a href="/b">Cloud</a></li></ul></nav>'],
    ['a share bar', '<div class="share-bar"><a href="https://twitter.com/share">Share on Twitter</a> <a href="https://facebook.com/share">Share on Facebook</a></div>'],
    ['a newsletter box', '<div class="newsletter-signup"><h3>Get the daily briefing</h3><p>Sign up for our newsletter to receive the top stories of the day in your inbox every morning.</p></div>'],
    ['a promo box', '<aside class="promo"><p>Try our premium plan today and save forty percent on your first year.</p></aside>'],
    ['a "ZDNET Recommends" block', '<div class="c-block"><h3><strong>ZDNET</strong> Recommends</h3><a href="/article/best-security-key/"><img src="/key.jpg" alt="">The best security key While robust passwords help you secure your valuable online accounts, hardware-based two-factor authentication takes that security to the next level. Read now</a></div>'],
    ['a "Read more" line', '<p>Read more: <a href="/other">Acme had another breach last year</a></p>'],
    ['a "Related" list after its heading', '<h3>Related</h3><ul><li><a href="/1">Another breach at a widget maker</a></li><li><a href="/2">How to patch your gateway</a></li></ul>'],
    ['an AdSense slot', '<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-1" data-ad-slot="2"></ins>'],
    ['a generic ad slot', '<div class="ad-slot"><span>Advertisement</span></div>'],
    ['comments', '<section id="comments"><h3>3 comments</h3><div class="comment"><p>Great article, thanks for sharing this news with all of us here, really helpful.</p></div></section>'],
    ['an author bio', '<div class="author-bio"><p>Jane Doe covers security for Example News, and before that she covered courts and crime for a decade.</p></div>'],
    ['a sign-in/subscribe box', '<div class="article-block article-content__sign-in-group"><div class="h2">This content is reserved for subscribers only</div><p>Subscribe now to read the latest news in your city and across the country, every day.</p><ul><li>Unlimited digital access to every article we publish.</li><li>Daily puzzles, newsletters and the print replica edition.</li></ul><p>Create an account or sign in to continue with your reading experience.</p></div>'],
    ['a byline and dateline box', '<div class="article-meta"><span class="byline">By Jane Doe</span><span class="reading-time">Published Jun 05, 2026, 3 minute read</span></div>'],
    ['a tag box', '<div class="tagbox"><h3>Keywords for this article</h3><ul><li><a href="/t/breach">Breach</a></li><li><a href="/t/sensors">Sensors</a></li></ul></div>'],
    ['an inline teaser for another story', '<figure class="wp-block-inline-teaser"><div class="wp-block-inline-teaser__title">Read also</div><a href="/other"><img src="/o.jpg" alt="">A widget maker fixes twelve flaws in its gateway firmware</a></figure>'],
    ['a cookie notice', '<div class="cookie-consent"><p>We use cookies to improve your experience. By continuing you accept our use of cookies.</p><a href="/privacy">Learn more</a></div>'],
  ])('drops %s inside the article', (_kind, inArticle) => {
    expect(extract(testPage({ inArticle })).text).toBe(ARTICLE_TEXT);
  });

  it.each([
    ['a related-links list', '<div class="related-links"><h2>More stories</h2><ul><li><a href="/x">Ransomware hits a hospital chain</a></li><li><a href="/y">Patch Tuesday brings 60 fixes</a></li></ul></div>'],
    ['a cookie banner', '<div id="cookie-banner" role="dialog"><p>We use cookies to improve your experience on our site, to analyse traffic and to show ads.</p></div>'],
    ['a sidebar of most-read stories', '<aside class="sidebar"><h2>Most read</h2><ol><li><a href="/1">Story one about a breach at a large company</a></li><li><a href="/2">Story two about a new flaw in a router</a></li></ol></aside>'],
  ])('drops %s around the article', (_kind, html) => {
    expect(extract(testPage({ beforeArticle: html, afterArticle: html })).text).toBe(ARTICLE_TEXT);
  });

  it.each([
    ['a bracketed label', '<p class="title">【関連記事】</p>'],
    ['a short plain label', '<p>Related stories</p>'],
  ])('drops a "related" paragraph label (%s) with its link list, also where a site rule picks the body', (_kind, label) => {
    const inArticle = `<div class="box">${label}<ul><li><a href="/1">Another breach at a widget maker</a></li><li><a href="/2">How to patch your gateway</a></li></ul></div>`;
    const rules = { name: 'example', hosts: ['news.example.org'], body: ['.article-body'], strip: [], title: [], date: [], author: [] };
    expect(extractArticle(testPage({ inArticle }), URL, { rules }).text).toBe(ARTICLE_TEXT);
  });

  it('keeps a wrapper whose id names a share widget when it holds the prose, and still drops the gallery legends in it', () => {
    const slides = [1, 2, 3].map((slide) => `<li><p>Slide ${slide}: a caption, with commas, for a photo, of a gadget, in a gallery, of gadgets.</p></li>`).join('');
    const html = `<html><body><nav><a href="/">Home</a></nav><div id="gigya-share-buttons-container" class="text-wrapper">${PARAGRAPHS.map((text) => `<p>${text}</p>`).join('')}<div class="gallery"><ul class="legends">${slides}</ul></div></div></body></html>`;
    expect(extract(html).text).toBe(ARTICLE_TEXT);
  });

  it('keeps documentation sections whose anchor id, made from their heading, reads like a share or promo hint', () => {
    const section = (heading: string, texts: string[]): string => {
      const id = heading.toLowerCase().replace(/[^a-z]+/g, '-');
      return `<div class="section" id="${id}"><h2>${heading}</h2>${texts.map((text) => `<p>${text}</p>`).join('')}</div>`;
    };
    const html = `<html><body><nav><a href="/">Home</a></nav><div class="body">${section('Background', PARAGRAPHS.slice(0, 2))}${section('Sharing with other developers', PARAGRAPHS.slice(2))}</div>
      <div id="share-bar"><a href="https://twitter.com/share">Share on Twitter</a></div></body></html>`;
    expect(extract(html).text).toBe(['Background', ...PARAGRAPHS.slice(0, 2), 'Sharing with other developers', ...PARAGRAPHS.slice(2)].join('\n\n'));
  });

  it('keeps a list of prose items that carry long links (release notes), and drops a list of links', () => {
    const notes = [
      ['Bug 1677080: the fullscreen picture-in-picture window follows the video', 'was fixed by a volunteer, who also wrote the tests'],
      ['Bug 1675624: the tab unloader shows which tabs it unloaded and why', 'landed after a long review from the team'],
    ];
    const list = `<ul>${notes.map(([link, own]) => `<li><a href="https://bugs.example.org/1">${link}</a> ${own}.</li>`).join('')}</ul>`;
    const related = '<ul><li><a href="/1">Another breach at a widget maker this week</a></li><li><a href="/2">How to patch your remote access gateway</a></li></ul>';
    const text = extract(testPage({ inArticle: `<p>Fixed this week:</p>${list}<p>More news:</p>${related}` })).text;
    for (const [link, own] of notes) expect(text).toContain(`${link} ${own}.`);
    expect(text).not.toContain('How to patch your remote access gateway');
  });

  it('takes an article written as bullet points over the reader comments below it', () => {
    const bullets = [
      'Bug 1553982 landed: an update no longer starts while another instance of the browser is running, the cause of many restart prompts.',
      'Users can now import saved logins from a password manager export file, thanks to a volunteer who wrote the importer.',
      'Printing now supports page ranges that are not contiguous, such as one to three and then six and seven, in the print dialog.',
      'The developer tools are now compatible with out-of-process frames, and so is the automation framework used for testing.',
      'The tab unloader behaves better under memory pressure and the browser shows a message when a subframe crashes.',
    ];
    const comments = [1, 2].map((n) => `<li class="comment"><p>Reader ${n} says: thank you for fixing this bug, I had moved most of my work to another browser because of the need to restart so often, and will now try again.</p></li>`).join('');
    const html = `<html><body><nav><a href="/">Home</a></nav><article><h1>These weeks in the browser</h1><div class="entry-content"><h3>Highlights</h3><ul>${bullets.map((text) => `<li>${text}</li>`).join('')}</ul></div></article>
      <section id="comments" class="section"><ol class="comment-list">${comments}</ol></section></body></html>`;
    expect(extract(html).text).toBe(['Highlights', ...bullets].join('\n\n'));
  });

  it('takes the article headed by the page title, not the longer next story an endless-scroll page appends', () => {
    const next = [1, 2, 3, 4, 5, 6].map((n) => `<p>Next story, paragraph ${n}: a football manager may return to his old club, say reports, and the fans, the players and the board are said to be in favour.</p>`).join('');
    const html = `<html><head><title>Acme Widgets confirms breach of file servers</title></head><body><main>
      <article id="first"><h1>Acme Widgets confirms breach of file servers</h1><div class="article-body">${PARAGRAPHS.map((text) => `<p>${text}</p>`).join('')}</div></article>
      <article id="second"><h1>Manager tipped for a return</h1><div class="article-body">${next}</div></article>
      </main></body></html>`;
    expect(extract(html).text).toBe(ARTICLE_TEXT);
  });

  it('keeps a live blog\'s entries beside its lead', () => {
    const entryText = (n: number, k: number): string => `Update ${n}.${k}: the company said more systems were restored overnight and that staff and partners and customers would get a fuller account of the intrusion later this week.`;
    const entries = [1, 2, 3, 4, 5].map((n) => `<div class="update"><div class="update-info"><time>11:0${n}</time></div><h3>Update number ${n}</h3><div class="update-copy"><p>${entryText(n, 1)}</p><p>${entryText(n, 2)}</p></div></div>`).join('');
    const html = `<html><body><nav><a href="/">Home</a></nav><article><h1>Live: Acme Widgets breach</h1><div class="wrap"><div class="lead">${[...PARAGRAPHS, ...PARAGRAPHS].map((text) => `<p>${text}</p>`).join('')}</div><div class="updates"><div class="update-list">${entries}</div></div></div></article></body></html>`;
    const text = extract(html).text;
    expect(text.startsWith(`${ARTICLE_TEXT}\n\n${ARTICLE_TEXT}`)).toBe(true);
    for (const n of [1, 2, 3, 4, 5]) expect(text).toContain(entryText(n, 2));
  });

  it('joins the chunks of a body split between ad rails, without the rails', () => {
    const chunk = (texts: string[]): string => `<div class="body__inner-container">${texts.map((text) => `<p>${text}</p>`).join('')}</div>`;
    const html = `<html><body><nav><a href="/">Home</a></nav><main><article><header><h1>Acme Widgets confirms breach</h1></header><div class="chunks">
      <div class="grid-wrapper"><div class="grid-item">${chunk(PARAGRAPHS.slice(0, 3))}</div></div>
      <div class="ad-rail"><div class="ad-slot">Advertisement</div></div>
      <div class="grid-wrapper narrow">${chunk(PARAGRAPHS.slice(3))}<div class="rail">Most read</div></div>
      </div></article></main><footer><p>Copyright</p></footer></body></html>`;
    expect(extract(html).text).toBe(ARTICLE_TEXT);
  });

  it('joins body chunks whose classes are numbered (story-body-1, story-body-2)', () => {
    const opening = 'Acme Widgets, a maker of industrial sensors, said on Monday that it had been breached, and that it was still counting the cost.';
    const rest = [...PARAGRAPHS, ...PARAGRAPHS];
    const chunk = (n: number, texts: string[]): string => `<div class="story-body story-body-${n}">${texts.map((text) => `<p>${text}</p>`).join('')}</div>`;
    const html = `<html><body><nav><a href="/">Home</a></nav><main><article><header><h1>Acme Widgets confirms breach</h1></header>
      <div class="lede-box">${chunk(1, [opening])}</div><div class="ad-rail"><div class="ad-slot">Advertisement</div></div><div class="main-box">${chunk(2, rest)}</div>
      </article></main><footer><p>Copyright</p></footer></body></html>`;
    expect(extract(html).text).toBe([opening, ...rest].join('\n\n'));
  });

  it('keeps the opening paragraphs printed above a wrapper that holds the rest of the body, without the captions beside them', () => {
    const rest = [...PARAGRAPHS, ...PARAGRAPHS];
    const html = `<html><body><nav><a href="/">Home</a></nav><div class="col">
      <figure><img src="/a.jpg" alt=""><figcaption><p>The file servers of a sensor maker, photographed in its data centre in the spring of this year.</p></figcaption></figure>
      ${PARAGRAPHS.slice(0, 3).map((text) => `<p>${text}</p>`).join('')}
      <div id="more"><div class="slot">Advertisement</div><div id="more-content">${rest.map((text) => `<p>${text}</p>`).join('')}</div></div>
      </div><footer><p>Copyright</p></footer></body></html>`;
    expect(extract(html).text).toBe([...PARAGRAPHS.slice(0, 3), ...rest].join('\n\n'));
  });

  it('keeps an inline element inside a sentence whatever its class says (a formula in a context-menu widget)', () => {
    const sentence = '<p>The attackers needed <span class="MathJax CtxtMenu_Attached_0">2 to the power of 40</span> guesses, which the gateway allowed because it never limited failed logins from one address.</p>';
    const text = extract(testPage({ inArticle: sentence })).text;
    expect(text).toContain('The attackers needed 2 to the power of 40 guesses, which the gateway allowed');
  });

  it('keeps the rest of the article that a paywall box hides, and drops a hidden promo', () => {
    const more = 'The company expects to finish its review of the affected systems by the end of the month, and said it would publish what it learns about the attackers and their tools then.';
    const inArticle = `<div class="paywall" hidden>${[...PARAGRAPHS.slice(2), more].map((text) => `<p>${text}</p>`).join('')}</div>
      <div class="offer" style="display:none"><p>Subscribe for one euro a month.</p><p>Cancel at any time.</p></div>`;
    const html = testPage().replace(PARAGRAPHS.slice(2).map((text) => `<p>${text}</p>`).join('\n'), inArticle);
    expect(extract(html).text).toBe([...PARAGRAPHS, more].join('\n\n'));
  });

  it('keeps lists, quotes and code that belong to the article', () => {
    const inArticle = '<p>The affected versions:</p><ul><li>Gateway 9.1 before 9.1.4</li><li>Gateway 9.2 before 9.2.1</li></ul><blockquote><p>We take security seriously.</p></blockquote><pre><code>curl -s https://example.org/check</code></pre>';
    const result = extract(testPage({ inArticle }));
    expect(result.text).toBe([
      PARAGRAPHS[0], PARAGRAPHS[1], 'The affected versions:', 'Gateway 9.1 before 9.1.4', 'Gateway 9.2 before 9.2.1',
      'We take security seriously.', 'curl -s https://example.org/check', PARAGRAPHS[2], PARAGRAPHS[3],
    ].join('\n\n'));
    expect(result.html).toContain('<ul><li>Gateway 9.1 before 9.1.4</li>');
    expect(result.html).toContain('<blockquote><p>We take security seriously.</p></blockquote>');
    expect(result.html).toContain('<pre><code>curl -s https://example.org/check</code></pre>');
  });
});

describe('images and links', () => {
  it('resolves lazy images from data-src and srcset, and relative URLs against the page (and <base>)', () => {
    const inArticle = `<figure><img src="data:image/gif;base64,R0lGOD" data-src="/img/server.jpg" alt="Server room"><figcaption>The data center</figcaption></figure>
      <figure><img src="/img/placeholder.gif" srcset="/img/a-320.jpg 320w, /img/a-1024.jpg 1024w" alt="Gateway"></figure>
      <p>See <a href="../advisory.html">the advisory</a> and <a href="javascript:alert(1)">this</a> and <a href="//cdn.example.net/x">that</a>.</p>
      <img src="https://tracker.example.com/pixel.gif" width="1" height="1">`;
    const result = extract(testPage({ inArticle }));
    expect(result.html).toContain('<img src="https://news.example.org/img/server.jpg" alt="Server room" />');
    expect(result.html).toContain('<figcaption>The data center</figcaption>');
    expect(result.html).toContain('<img src="https://news.example.org/img/a-1024.jpg" alt="Gateway" />');
    expect(result.html).toContain('<a href="https://news.example.org/advisory.html">the advisory</a>');
    expect(result.html).toContain('<a>this</a>');
    expect(result.html).toContain('<a href="https://cdn.example.net/x">that</a>');
    expect(result.html).not.toContain('tracker.example.com');

    const withBase = extract(testPage({ head: '<base href="https://static.example.org/news/">', inArticle }));
    expect(withBase.html).toContain('<img src="https://static.example.org/img/server.jpg" alt="Server room" />');
  });

  it('strips scripts, styles, event handlers, iframes and forms', () => {
    const inArticle = '<script>steal()</script><style>p{}</style><p onclick="x()" style="color:red" class="lead">Short <b>bold</b> remark.</p><iframe src="https://evil.example"></iframe><form><input name="q"></form>';
    const result = extract(testPage({ inArticle }));
    expect(result.html).toContain('<p>Short <b>bold</b> remark.</p>');
    expect(result.html).not.toMatch(/script|style|onclick|iframe|form|input/);
  });
});

describe('metadata', () => {
  it('reads title without the site suffix, site name, language, image, description and canonical URL', () => {
    const head = `<meta property="og:site_name" content="Example News"><meta property="og:title" content="Acme Widgets confirms breach of file servers | Example News">
      <meta property="og:image" content="/img/lead.jpg"><meta name="description" content="  Acme says   attackers reached its servers. ">
      <link rel="canonical" href="/story/acme-breach?utm=1">`;
    const result = extract(testPage({ head, htmlAttributes: 'lang="en_us"' }));
    expect(result).toMatchObject({
      title: 'Acme Widgets confirms breach of file servers',
      siteName: 'Example News',
      lang: 'en-US',
      image: 'https://news.example.org/img/lead.jpg',
      description: 'Acme says attackers reached its servers.',
      canonicalUrl: 'https://news.example.org/story/acme-breach?utm=1',
    });
  });

  it.each([
    ['Acme Widgets confirms breach of file servers - Example News', 'Acme Widgets confirms breach of file servers'],
    ['Example News | Acme Widgets confirms breach of file servers', 'Acme Widgets confirms breach of file servers'],
    ['Acme Widgets confirms breach of file servers – news.example.org', 'Acme Widgets confirms breach of file servers'],
  ])('removes the site name from the title %s', (title, expected) => {
    const head = '<meta property="og:site_name" content="Example News">';
    expect(extract(testPage({ head, title })).title).toBe(expected);
  });

  it('cleans authors: no "By", split on "and", no dates, no site names, no job titles', () => {
    const head = `<meta property="og:site_name" content="Example News"><script type="application/ld+json">{"@type":"NewsArticle","headline":"x","author":[{"@type":"Person","name":"By Jane Doe"},{"@type":"Organization","name":"Example News"}]}</script>`;
    expect(extract(testPage({ head })).authors).toEqual(['Jane Doe']);
    const byline = '<p class="byline">By <a rel="author" href="/jane">Jane Doe</a> and <a rel="author" href="/john">John Roe</a></p>';
    expect(extract(testPage({ articleHeader: byline })).authors).toEqual(['Jane Doe', 'John Roe']);
    const messy = '<meta name="author" content="By Jane Doe, Senior Reporter, November 29, 2021 and John Roe | Example News"><meta property="og:site_name" content="Example News">';
    expect(extract(testPage({ head: messy })).authors).toEqual(['Jane Doe', 'John Roe']);
  });

  it('drops reader comments marked as such even when a layout class ("columns") sits beside it', () => {
    const comment = '<p>I have read the whole report, and honestly, the vendor should have rotated every credential on the file servers months ago, long before the intruders ever got in, and said so, publicly, twice.</p>';
    const comments = `<section><ul class="comments-list columns is-multiline">${Array.from({ length: 12 }, () => `<li class="column comment">${comment}${comment}</li>`).join('')}</ul></section>`;
    expect(extract(testPage({ afterArticle: comments })).text).toBe(ARTICLE_TEXT);
  });

  it('drops an unclosed dateline parenthesis from a byline', () => {
    const head = '<meta name="author" content="Jane Doe(Brussels, correspondent)">';
    expect(extract(testPage({ head })).authors).toEqual(['Jane Doe']);
  });

  it('drops closing agency or initials parentheses from a name, but keeps a longer note', () => {
    const head = '<meta name="author" content="Jane Doe (AP), John Roe (jro.)">';
    expect(extract(testPage({ head })).authors).toEqual(['Jane Doe', 'John Roe']);
    expect(extract(testPage({ head: '<meta name="author" content="Jane Doe (janedoe)">' })).authors).toEqual(['Jane Doe (janedoe)']);
  });

  it('reads the names of one meta key, Dublin Core first, not a mix of keys that disagree', () => {
    const head = '<meta name="author" content="Site Template"><meta property="dc:creator" content="Jane Doe">';
    expect(extract(testPage({ head })).authors).toEqual(['Jane Doe']);
    const coAuthors = '<meta name="author" content="Jane Doe"><meta name="author" content="John Roe">';
    expect(extract(testPage({ head: coAuthors })).authors).toEqual(['Jane Doe', 'John Roe']);
  });

  it('drops a byline that is the name of the site\'s host', () => {
    const head = '<meta name="author" content="VnExample">';
    expect(extract(testPage({ head }), 'https://vnexample.net/story/acme-breach').authors).toEqual([]);
    expect(extract(testPage({ head, articleHeader: '<p class="byline">By Jane Doe</p>' }), 'https://www.vnexample.net/story/1').authors).toEqual(['Jane Doe']);
  });

  it('drops the reporter title after a Korean or Japanese name', () => {
    expect(extract(testPage({ head: '<meta name="author" content="신현주 기자">' })).authors).toEqual(['신현주']);
    expect(extract(testPage({ head: '<meta name="author" content="山田太郎記者">' })).authors).toEqual(['山田太郎']);
  });

  it('splits bylines on "and" in the Nordic languages and Dutch too', () => {
    const head = '<meta name="author" content="Trine Juncher Jørgensen og Tôrtia Reimer-Johansen">';
    expect(extract(testPage({ head })).authors).toEqual(['Trine Juncher Jørgensen', 'Tôrtia Reimer-Johansen']);
    expect(extract(testPage({ head: '<meta name="author" content="Anna Svensson och Erik Berg">' })).authors).toEqual(['Anna Svensson', 'Erik Berg']);
    expect(extract(testPage({ head: '<meta name="author" content="Jan de Vries en Pieter Bakker">' })).authors).toEqual(['Jan de Vries', 'Pieter Bakker']);
  });

  it('drops picture credits from a byline', () => {
    const head = '<meta name="author" content="Jane Doe | Foto: John Roe">';
    expect(extract(testPage({ head })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ articleHeader: '<p class="byline">Photograph by John Roe</p><p>By <a href="/authors/jane-doe">Jane Doe</a></p>' })).authors).toEqual(['Jane Doe']);
  });

  it('turns a catalogue-style "Surname, Given names" meta author around, but keeps a list of names a list', () => {
    expect(extract(testPage({ head: '<meta name="dcterms.creator" content="Doe, Jane">' })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ head: '<meta name="dc.creator" content="Jong, Michiel de">' })).authors).toEqual(['Michiel de Jong']);
    expect(extract(testPage({ head: '<meta name="author" content="Jane Doe, John Roe">' })).authors).toEqual(['Jane Doe', 'John Roe']);
  });

  it('keeps a lower-case user name or agency as the byline unless a later source names the writer in full', () => {
    expect(extract(testPage({ head: '<meta name="author" content="doumae">' })).authors).toEqual(['doumae']);
    const handle = '<meta name="sailthru.author" content="janedoe">';
    expect(extract(testPage({ head: handle, articleHeader: '<p class="byline">By Jane Doe</p>' })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ head: '<meta name="author" content="Jane Doe, John Roe, dpa">' })).authors).toEqual(['Jane Doe', 'John Roe', 'dpa']);
  });

  it('drops a "Quelle:" or "Source:" label before a byline', () => {
    expect(extract(testPage({ head: '<meta name="author" content="Quelle: sid">' })).authors).toEqual(['sid']);
    expect(extract(testPage({ head: '<meta name="author" content="Source: Jane Doe">' })).authors).toEqual(['Jane Doe']);
  });

  it('keeps two-letter agency codes and two-character CJK names, but not degrees', () => {
    expect(extract(testPage({ head: '<meta name="author" content="Jane Doe and AP">' })).authors).toEqual(['Jane Doe', 'AP']);
    expect(extract(testPage({ head: '<meta name="author" content="牛镛">' })).authors).toEqual(['牛镛']);
    expect(extract(testPage({ head: '<meta name="author" content="Jane Doe, MA">' })).authors).toEqual(['Jane Doe']);
  });

  it('reads a meta author that opens with the site\'s name and a comma as the site\'s address, not writers', () => {
    const head = '<meta property="og:site_name" content="Example News"><meta name="author" content="Example News, Frankfurt, Germany">';
    expect(extract(testPage({ head })).authors).toEqual([]);
    const both = '<meta property="og:site_name" content="Example News"><meta name="author" content="Example News and AFP">';
    expect(extract(testPage({ head: both })).authors).toEqual(['AFP']);
  });

  it('drops a link beside a name without splitting on its slashes', () => {
    expect(extract(testPage({ head: '<meta name="author" content="Jane Doe (https://example.org/jane/)">' })).authors).toEqual(['Jane Doe']);
  });

  it('drops a meta author that is the copyright holder when a writer is named too', () => {
    const head = '<meta name="copyright" content="Copyright (c) Example Media Group 2024"><meta name="author" content="Example Media Group"><meta name="article:author" content="Jane Doe">';
    expect(extract(testPage({ head })).authors).toEqual(['Jane Doe']);
    const blog = '<meta name="copyright" content="(c) 2024 Jane Doe"><meta name="author" content="Jane Doe">';
    expect(extract(testPage({ head: blog })).authors).toEqual(['Jane Doe']);
  });

  it('finds bylines by compound class names and by links to a writer\'s page', () => {
    const compound = '<div class="article-inline-byline">By <span class="byline-name">Jane Doe</span></div>';
    expect(extract(testPage({ articleHeader: compound })).authors).toEqual(['Jane Doe']);
    const profileLink = '<div class="gO"><span>By </span><a href="/profile/jane-doe-1910837">Jane Doe</a></div>';
    expect(extract(testPage({ articleHeader: profileLink })).authors).toEqual(['Jane Doe']);
    const teasers = '<div class="teaser"><section><div><a href="/author/john-roe">John Roe</a></div></section></div>';
    expect(extract(testPage({ articleHeader: profileLink + teasers })).authors).toEqual(['Jane Doe']);
  });

  it('reads the next kind of byline evidence when every text of one is no name', () => {
    const dated = '<span class="byline">November 29, 2021</span><p>By <a href="/authors/jane-doe/">Jane Doe</a></p>';
    expect(extract(testPage({ articleHeader: dated })).authors).toEqual(['Jane Doe']);
  });

  it('finds bylines by BEM and CSS-in-JS class names, reading "By" glued to the name by markup as a word', () => {
    expect(extract(testPage({ articleHeader: '<div class="article__author">Jane Doe</div>' })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ articleHeader: '<div class="css-1wkce1i-Byline"><span>Jane Doe</span></div>' })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ articleHeader: '<p class="byline"><span>By</span>Jane Doe</p>' })).authors).toEqual(['Jane Doe']);
  });

  it('reads the writer from a "Written by" twitter label when no other source names one', () => {
    const head = '<meta name="author" content="j.doe@example.org"><meta name="twitter:label1" content="Reading time"><meta name="twitter:data1" content="3 minutes"><meta name="twitter:label2" content="Verfasst von"><meta name="twitter:data2" content="Jane Doe">';
    expect(extract(testPage({ head })).authors).toEqual(['Jane Doe']);
    const byline = '<p class="byline">By John Roe</p>';
    expect(extract(testPage({ head, articleHeader: byline })).authors).toEqual(['John Roe']);
  });

  it('reads names from a byline\'s innermost elements when its whole text is no name list', () => {
    const dated = '<div class="byline"><div>By <span>Jane Doe</span></div><div>Example Daily</div><time>Dec 13, 2019</time></div>';
    expect(extract(testPage({ articleHeader: dated })).authors).toEqual(['Jane Doe']);
    const spans = '<div class="byline"><span>Jane Doe</span> <span>John Roe</span> <span>Max Mustermann</span></div>';
    expect(extract(testPage({ articleHeader: spans })).authors).toEqual(['Jane Doe', 'John Roe', 'Max Mustermann']);
    const linked = '<div class="author">Written by <a href="/about">Jane Doe</a> in <a href="/topics/security">Security</a> on 1 June 2019</div>';
    expect(extract(testPage({ articleHeader: linked })).authors).toEqual(['Jane Doe']);
  });

  it('reads a byline on a page whose body class speaks of comments', () => {
    const page = testPage({ articleHeader: '<p class="byline">By Jane Doe</p>' }).replace('<body>', '<body class="single-post comments-open">');
    expect(extract(page).authors).toEqual(['Jane Doe']);
  });

  it('reads a byline inside a layout named for having a sidebar, but not one inside a sidebar', () => {
    const withSidebar = testPage({ articleHeader: '<p class="byline">By Jane Doe</p>' }).replace('<div id="main">', '<div id="main" class="withsidebar">');
    expect(extract(withSidebar).authors).toEqual(['Jane Doe']);
    const inSidebar = testPage({ afterArticle: '<div class="sidebar-widget"><p class="byline">By John Roe</p></div>' });
    expect(extract(inSidebar).authors).toEqual([]);
  });

  it('keeps a newsroom\'s team credit as the byline unless a writer is named', () => {
    const head = '<meta name="author" content="Example Daily Staff">';
    expect(extract(testPage({ head })).authors).toEqual(['Example Daily Staff']);
    expect(extract(testPage({ head, articleHeader: '<p class="byline">By Jane Doe</p>' })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ head: '<meta name="author" content="Jane Doe, Staff Writer">' })).authors).toEqual(['Jane Doe']);
  });

  it('finds a byline marked only by its label', () => {
    expect(extract(testPage({ articleHeader: '<div class="x1">By <span>Jane Doe</span></div>' })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ articleHeader: '<ul><li><strong>Autorin/Autor</strong> Jane Doe</li></ul>' })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ articleHeader: '<ul><li><span> von </span> <span>Jane Doe</span></li></ul>' })).authors).toEqual(['Jane Doe']);
  });

  it('reads a link to an editor\'s or contributor\'s page as a byline', () => {
    expect(extract(testPage({ articleHeader: '<div class="t-meta"><a href="/about/editors/jane-doe/">Jane Doe</a></div>' })).authors).toEqual(['Jane Doe']);
    expect(extract(testPage({ articleHeader: '<div class="t-meta"><a href="/contributors/john-roe">John Roe</a></div>' })).authors).toEqual(['John Roe']);
  });

  it('skips the byline of a teaser for another story', () => {
    const teaser = '<section><article><h2><a href="/story/other">Another breach at a widget maker</a></h2><a class="byline" href="/x">John Roe</a></article></section>';
    const byline = '<p>By <a href="/authors/jane-doe">Jane Doe</a></p>';
    expect(extract(testPage({ articleHeader: byline, afterArticle: teaser })).authors).toEqual(['Jane Doe']);
  });

  it('reads neither a lone byline label nor a "BY" keyword in a program listing as a name', () => {
    expect(extract(testPage({ articleHeader: '<div class="byline"><span>Von</span> <span>Team 24</span></div>' })).authors).toEqual([]);
    const listing = '<pre><span class="k">SELECT</span> id <span class="k">FROM</span> t <span class="k">ORDER</span> <span class="k">BY</span> <span class="n">Name</span></pre>';
    expect(extract(testPage({ inArticle: listing })).authors).toEqual([]);
  });

  it('reads no call to action beside a byline as a name', () => {
    const header = '<div class="author"><a href="/authors/jane-doe/follow">Follow</a></div><p>By <a href="/authors/jane-doe">Jane Doe</a></p>';
    expect(extract(testPage({ articleHeader: header })).authors).toEqual(['Jane Doe']);
  });

  it('finds bylines classed as the writer, or with stacked name/text suffixes', () => {
    expect(extract(testPage({ articleHeader: '<span class="writer">山田太郎</span>' })).authors).toEqual(['山田太郎']);
    expect(extract(testPage({ articleHeader: '<span class="authorname-txt"><span>Jane Doe</span></span>' })).authors).toEqual(['Jane Doe']);
  });

  it('prefers the visible headline when the meta title is it behind a kicker', () => {
    const head = '<meta property="og:title" content="Opinion | Acme Widgets confirms breach of file servers">';
    expect(extract(testPage({ head })).title).toBe('Acme Widgets confirms breach of file servers');
  });

  it('takes the JSON-LD headline over a social-card og:title, with its HTML entities decoded', () => {
    const head = `<meta property="og:title" content="You won't believe what Acme found on its servers">
      <script type="application/ld+json">{"@type":"NewsArticle","headline":"Acme &quot;Widgets&quot; confirms breach of file servers &amp; more","author":{"@type":"Person","name":"J&ouml;rg Doe"}}</script>`;
    const result = extract(testPage({ head }));
    expect(result.title).toBe('Acme "Widgets" confirms breach of file servers & more');
    expect(result.authors).toEqual(['Jörg Doe']);
  });

  it('resolves JSON-LD authors given by @id inside @graph', () => {
    const head = `<script type="application/ld+json">{"@graph":[{"@type":"Person","@id":"#jane","name":"Jane Doe"},{"@type":"NewsArticle","headline":"x","datePublished":"2021-11-29","author":{"@id":"#jane"}}]}</script>`;
    expect(extract(testPage({ head })).authors).toEqual(['Jane Doe']);
  });
});

describe('bad input ends in a clean result or NoArticle, never a crash', () => {
  function outcome(html: string, limits?: Parameters<typeof extractArticle>[2]): 'ok' | string {
    try {
      extractArticle(html, URL, { rules: null, ...limits });
      return 'ok';
    } catch (error) {
      expect(error).toBeInstanceOf(SecwireError);
      return (error as SecwireError).kind;
    }
  }

  it('a page with no article', () => {
    expect(outcome('<html><body><nav><a href="/">Home</a></nav><p>Page not found.</p></body></html>')).toBe('NoArticle');
    expect(outcome('')).toBe('NoArticle');
  });

  it('a 50 MB page', () => {
    const huge = testPage({ inArticle: `<p>${'word '.repeat(10 * 1024 * 1024)}</p>` });
    expect(huge.length).toBeGreaterThan(50 * 1024 * 1024);
    expect(outcome(huge)).toBe('NoArticle');
  });

  it('100k levels of nesting', () => {
    const deep = `<html><body>${'<div>'.repeat(100_000)}<p>${ARTICLE_TEXT}</p>${'</div>'.repeat(100_000)}</body></html>`;
    expect(outcome(deep)).toBe('NoArticle');
    const unclosed = `<html><body>${'<span>'.repeat(100_000)}<p>${ARTICLE_TEXT}</p></body></html>`;
    expect(outcome(unclosed)).toBe('NoArticle');
  });

  it('binary bytes', () => {
    const bytes = Buffer.from(Array.from({ length: 20_000 }, (_, index) => (index * 7919) % 256));
    expect(outcome(bytes.toString('latin1'))).toBe('NoArticle');
  });

  it('a broken encoding still yields the readable text', () => {
    const broken = testPage({ inArticle: '<p>Caf\uFFFD\uFFFD au lait \uFFFD was served at the briefing, according to the statement.</p>' });
    const result = extractArticle(broken, URL, { rules: null });
    expect(result.text).toContain('Caf\uFFFD\uFFFD au lait \uFFFD was served at the briefing');
  });

  it('an unexpected failure inside is reported as NoArticle', () => {
    expect(outcome(testPage(), { rules: { name: 'broken', hosts: ['news.example.org'], body: ['::not a selector(('], strip: [], title: [], date: [], author: [] } })).toBe('NoArticle');
  });
});
