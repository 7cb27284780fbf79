/**
 * One hand-written page template per fictional outlet. Each places the publication date its own way
 * (JSON-LD @graph, Open Graph meta, <time>, visible text, Japanese text, Dublin Core meta) and wraps the
 * article in its own boilerplate, so extraction is tested against variety rather than one layout.
 */
import {
  adSlot,
  authorBio,
  commentsSection,
  cookieBanner,
  linkList,
  newsletterBox,
  shareBar,
  trackingScripts,
  type LinkTarget,
} from './fixture-boilerplate.js';
import type { FixtureArticle, FixtureOutletData } from './fixture-data.js';
import { blocksToHtml, escapeHtml, japaneseDate, longEnglishDate, shortEnglishDateTime } from './fixture-html.js';

export interface PageContext {
  baseUrl: string;
  outlet: FixtureOutletData;
  article: FixtureArticle;
  /** Absolute URL of the page without tracking parameters. */
  url: string;
  /** Other articles of the same outlet, newest first. */
  related: LinkTarget[];
}

type Template = (context: PageContext) => string;

/** The date a page shows: the real one unless the data says the page disagrees. */
function pageDate(article: FixtureArticle): string {
  return article.pageDate ?? article.published;
}

function imageUrl(context: PageContext): string | null {
  return context.article.image ? `${context.baseUrl}/${context.outlet.id}/img/${context.article.image}` : null;
}

function jsonLd(value: unknown): string {
  return `<script type="application/ld+json">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

function figure(context: PageContext, lazy: boolean): string {
  const src = imageUrl(context);
  if (!src) return '';
  const caption = context.article.imageCaption ? `<figcaption>${escapeHtml(context.article.imageCaption)}</figcaption>` : '';
  const img = lazy
    ? `<img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="${src}" data-srcset="${src} 1x" alt="${escapeHtml(context.article.imageCaption ?? '')}" width="1200" height="675">`
    : `<img src="${src}" alt="${escapeHtml(context.article.imageCaption ?? '')}" width="1200" height="675">`;
  return `<figure class="lead-image">${img}${caption}</figure>`;
}

/** Inserts `insert` after the paragraph at `index` of the body HTML (mid-article promos and ads). */
function bodyWith(context: PageContext, inserts: { after: number; html: string }[]): string {
  const parts = blocksToHtml(context.article.blocks).split('\n');
  for (const insert of [...inserts].sort((a, b) => b.after - a.after)) {
    if (insert.after < parts.length) parts.splice(insert.after + 1, 0, insert.html);
  }
  return parts.join('\n');
}

const breachLedger: Template = (context) => {
  const { article, outlet, url } = context;
  const image = imageUrl(context);
  const graph = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'Organization', '@id': `${context.baseUrl}/breach-ledger/#org`, name: outlet.name, url: `${context.baseUrl}/breach-ledger/` },
      { '@type': 'WebPage', '@id': `${url}#webpage`, url, name: article.title, isPartOf: { '@id': `${context.baseUrl}/breach-ledger/#website` } },
      {
        '@type': 'NewsArticle',
        '@id': `${url}#article`,
        headline: article.title,
        description: article.dek,
        datePublished: pageDate(article),
        dateModified: article.updated ?? pageDate(article),
        author: [{ '@type': 'Person', name: article.author }],
        publisher: { '@id': `${context.baseUrl}/breach-ledger/#org` },
        mainEntityOfPage: { '@id': `${url}#webpage` },
        ...(image ? { image: { '@type': 'ImageObject', url: image } } : {}),
        articleSection: article.categories[0] ?? 'News',
        inLanguage: article.lang,
      },
      {
        '@type': 'BreadcrumbList',
        itemListElement: [
          { '@type': 'ListItem', position: 1, name: 'Home', item: `${context.baseUrl}/breach-ledger/` },
          { '@type': 'ListItem', position: 2, name: article.categories[0] ?? 'News' },
        ],
      },
    ],
  };
  return `<!DOCTYPE html>
<html lang="${article.lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(article.title)} | ${escapeHtml(outlet.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${escapeHtml(article.dek)}">
<link rel="canonical" href="${url}">
<link rel="alternate" type="application/rss+xml" title="${escapeHtml(outlet.name)}" href="${context.baseUrl}${outlet.feedPath}">
${jsonLd(graph)}
<link rel="stylesheet" href="/breach-ledger/assets/site.css">
</head>
<body class="single-post">
${cookieBanner(outlet.name, 'cookie-consent-banner')}
<header class="site-header"><a class="logo" href="/breach-ledger/">${escapeHtml(outlet.name)}</a>
<nav class="primary-nav"><ul><li><a href="/breach-ledger/category/breaches/">Breaches</a></li><li><a href="/breach-ledger/category/ransomware/">Ransomware</a></li><li><a href="/breach-ledger/category/policy/">Policy</a></li><li><a href="/breach-ledger/category/press/">Press releases</a></li><li><a href="/breach-ledger/about/">About</a></li></ul></nav>
<form class="search"><input name="s" placeholder="Search"></form></header>
${adSlot('1184470021', 'horizontal')}
<main id="content">
<article class="post">
<div class="entry-header"><span class="category">${escapeHtml(article.categories[0] ?? 'News')}</span>
<h1 class="entry-title">${escapeHtml(article.title)}</h1>
<p class="dek">${escapeHtml(article.dek)}</p>
<div class="byline">By <a rel="author" href="/breach-ledger/author/${encodeURIComponent(article.author.toLowerCase().replace(/\s+/g, '-'))}/">${escapeHtml(article.author)}</a> <span class="read-time">4 min read</span></div>
${shareBar(url, article.title, 'share-buttons')}
</div>
${figure(context, false)}
<div class="entry-content">
${bodyWith(context, [
  { after: 1, html: adSlot('7311029385') },
  { after: 3, html: `<p class="read-more-inline"><strong>Read more:</strong> <a href="${escapeHtml(context.related[0]?.url ?? '/')}">${escapeHtml(context.related[0]?.title ?? '')}</a></p>` },
])}
</div>
<div class="tags">Tags: ${article.categories.map((category) => `<a href="/breach-ledger/tag/${encodeURIComponent(category.toLowerCase())}/">${escapeHtml(category)}</a>`).join(', ')}</div>
${authorBio(article.author, outlet.name, 'author-box')}
</article>
${linkList('Related', context.related.slice(0, 4), 'related-posts')}
${commentsSection(article, 'comments-area')}
</main>
<aside class="sidebar">${newsletterBox(outlet.name, 'The week in breaches, every Friday. Written by humans who read the filings.')}
${adSlot('5509183312', 'rectangle')}
${linkList('Most read', context.related.slice(2, 7), 'widget-popular')}</aside>
<footer class="site-footer"><p>&copy; 2026 ${escapeHtml(outlet.name)}. All rights reserved.</p><nav><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/breach-ledger/feed.xml">RSS</a></nav></footer>
${trackingScripts(outlet.name)}
</body>
</html>`;
};

const patchMonday: Template = (context) => {
  const { article, outlet, url } = context;
  const shown = pageDate(article);
  const updated = article.updated ? ` <span class="updated">Updated <time datetime="${article.updated}">${longEnglishDate(article.updated, outlet.utcOffset)}</time></span>` : '';
  return `<!DOCTYPE html>
<html lang="${article.lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(article.title)} – ${escapeHtml(outlet.name)}</title>
<meta name="description" content="${escapeHtml(article.dek)}">
<link rel="canonical" href="${url}">
<link rel="alternate" type="application/atom+xml" href="${context.baseUrl}${outlet.feedPath}">
</head>
<body>
<div id="gdpr-notice">${cookieBanner(outlet.name, 'gdpr-inner')}</div>
<div class="topbar"><a href="/patch-monday/">${escapeHtml(outlet.name)}</a> <span class="tagline">${escapeHtml(outlet.tagline)}</span></div>
<nav id="menu"><a href="/patch-monday/">Latest</a> | <a href="/patch-monday/patch-tuesday/">Patch Tuesday</a> | <a href="/patch-monday/advisories/">Advisories</a> | <a href="/patch-monday/tools/">Tools</a> | <a href="/patch-monday/newsletter/">Newsletter</a></nav>
<div class="layout">
<div class="main-column">
<div class="post-header">
<h1>${escapeHtml(article.title)}</h1>
<div class="post-meta"><span class="author">${escapeHtml(article.author)}</span> · <time class="published" datetime="${shown}">${longEnglishDate(shown, outlet.utcOffset)}</time>${updated}</div>
</div>
<div class="post-body">
<p class="standfirst"><em>${escapeHtml(article.dek)}</em></p>
${figure(context, false)}
${bodyWith(context, [{ after: 2, html: `<div class="promo-box"><h4>Patch Monday Recommends</h4><p>Our free patch-priority spreadsheet ranks this month's fixes by exploitability. <a href="/patch-monday/tools/priority-sheet">Download it now</a></p></div>` }])}
</div>
${shareBar(url, article.title, 'share')}
${authorBio(article.author, outlet.name, 'about-author')}
${linkList('Read more', context.related.slice(0, 5), 'read-more')}
${commentsSection(article, 'discussion')}
</div>
<div class="side-column">${adSlot('2200113344', 'vertical')}${newsletterBox(outlet.name, 'Every patch that matters, the Monday after it ships.')}</div>
</div>
<footer><p>${escapeHtml(outlet.name)} is reader-supported. © 2026.</p><p><a href="/patch-monday/atom.xml">Atom feed</a> · <a href="/about">About</a> · <a href="/privacy">Privacy</a></p></footer>
${trackingScripts(outlet.name)}
</body>
</html>`;
};

const exploitDesk: Template = (context) => {
  const { article, outlet, url } = context;
  const shown = pageDate(article);
  const image = imageUrl(context);
  return `<!DOCTYPE html>
<html lang="${article.lang}">
<head>
<meta charset="UTF-8">
<title>${escapeHtml(article.title)} - ${escapeHtml(outlet.name)}</title>
<meta property="og:type" content="article">
<meta property="og:site_name" content="${escapeHtml(outlet.name)}">
<meta property="og:title" content="${escapeHtml(article.title)}">
<meta property="og:description" content="${escapeHtml(article.dek)}">
<meta property="og:url" content="${url}">
${image ? `<meta property="og:image" content="${image}">` : ''}
<meta property="article:published_time" content="${shown}">
${article.updated ? `<meta property="article:modified_time" content="${article.updated}">` : ''}
<meta property="article:author" content="${escapeHtml(article.author)}">
${article.categories.map((category) => `<meta property="article:tag" content="${escapeHtml(category)}">`).join('\n')}
<meta name="twitter:card" content="summary_large_image">
<link rel="canonical" href="${url}">
</head>
<body>
<header><div class="brand"><a href="/exploit-desk/">THE EXPLOIT DESK</a></div>
<ul class="nav"><li><a href="/exploit-desk/vulns">Vulnerabilities</a></li><li><a href="/exploit-desk/threats">Threat actors</a></li><li><a href="/exploit-desk/malware">Malware</a></li><li><a href="/exploit-desk/podcast">Podcast</a></li></ul></header>
<div class="container">
<div class="article-wrap">
<h1 class="headline">${escapeHtml(article.title)}</h1>
<h2 class="subheadline">${escapeHtml(article.dek)}</h2>
<div class="meta-line">${escapeHtml(article.author)} | ${escapeHtml(article.categories.join(', '))}</div>
${figure(context, false)}
<div class="article-body" itemprop="articleBody">
${bodyWith(context, [{ after: 0, html: adSlot('9000001111', 'fluid') }, { after: 2, html: linkList('Related', context.related.slice(0, 3), 'inline-related', 'h4') }])}
</div>
${shareBar(url, article.title, 'social-share')}
<div class="author-card">${authorBio(article.author, outlet.name, 'bio')}</div>
</div>
<div class="rail">${linkList('Trending on The Exploit Desk', context.related.slice(1, 6), 'trending')}${adSlot('9000002222', 'rectangle')}</div>
</div>
${newsletterBox(outlet.name, 'Exploits, actors and malware: one email each weekday morning.')}
${commentsSection(article, 'comments')}
<div id="cookie-bar">${cookieBanner(outlet.name, 'cookie-text')}</div>
<footer class="footer">The Exploit Desk · <a href="/exploit-desk/index.rdf">RSS 1.0</a> · <a href="/contact">Contact</a> · © 2026</footer>
${trackingScripts(outlet.name)}
</body>
</html>`;
};

const kernelWire: Template = (context) => {
  const { article, outlet, url } = context;
  const shown = pageDate(article);
  const image = imageUrl(context);
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    datePublished: shown,
    dateModified: article.updated ?? shown,
    author: { '@type': 'Person', name: article.author },
    publisher: { '@type': 'Organization', name: outlet.name },
    ...(image ? { image: [image] } : {}),
  };
  const recommends = context.related[1];
  const promo = recommends
    ? `<div class="c-recommends"><h3><strong>KERNEL WIRE</strong> Recommends</h3><a href="${escapeHtml(recommends.url)}"><img src="/kernel-wire/img/promo.png" alt=""> ${escapeHtml(recommends.title)} Our editors picked this story for you. Read now</a></div>`
    : '';
  const more = context.related.slice(0, 5);
  return `<!DOCTYPE html>
<html lang="${article.lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(article.title)} | ${escapeHtml(outlet.name)}</title>
<link rel="canonical" href="${url}">
<meta name="description" content="${escapeHtml(article.dek)}">
${jsonLd(ld)}
</head>
<body>
<div class="c-header"><a class="c-logo" href="/kernel-wire/">${escapeHtml(outlet.name)}</a><nav class="c-nav"><a href="/kernel-wire/security/">Security</a><a href="/kernel-wire/cloud/">Cloud</a><a href="/kernel-wire/ai/">AI</a><a href="/kernel-wire/deals/">Deals</a></nav></div>
${adSlot('4411223300', 'horizontal')}
<div class="c-article">
<div class="c-articleHeader"><h1>${escapeHtml(article.title)}</h1><p class="c-dek">${escapeHtml(article.dek)}</p>
<div class="c-byline">Written by <span class="c-byline__author">${escapeHtml(article.author)}</span>, Contributing Writer <span class="c-byline__date">${shortEnglishDateTime(shown, outlet.utcOffset)} PT</span></div></div>
${figure(context, true)}
<div class="c-articleContent">
${bodyWith(context, [{ after: 0, html: promo }, { after: 2, html: adSlot('4411223301') }])}
</div>
${shareBar(url, article.title, 'c-share')}
<div class="c-related">${linkList('More from Kernel Wire', more, 'c-related__list')}</div>
${linkList('Security', more, 'c-related__list c-related__list--dup')}
</div>
${newsletterBox(outlet.name, 'Kernel Wire Daily: the tech news that matters, before your first coffee.')}
${commentsSection(article, 'c-comments')}
<footer class="c-footer"><p>© 2026 Kernel Wire Media. All rights reserved. Privacy Policy | Cookie Settings | Advertise | Terms of Use</p></footer>
${cookieBanner(outlet.name, 'c-cookieBanner')}
${trackingScripts(outlet.name)}
</body>
</html>`;
};

const nordicCert: Template = (context) => {
  const { article, outlet, url } = context;
  const shown = pageDate(article);
  const number = `NC-2026-${String(article.slug.length * 37 + article.title.length).padStart(4, '0')}`;
  return `<!DOCTYPE html>
<html lang="${article.lang}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>${escapeHtml(outlet.name)} - ${escapeHtml(article.title)}</title>
<link rel="canonical" href="${url}">
</head>
<body>
<table class="layout" width="100%"><tr><td class="masthead"><a href="/nordic-cert/">${escapeHtml(outlet.name)}</a><br><small>${escapeHtml(outlet.tagline)}</small></td></tr>
<tr><td class="menu"><a href="/nordic-cert/">Bulletins</a> | <a href="/nordic-cert/alerts/">Alerts</a> | <a href="/nordic-cert/guidance/">Guidance</a> | <a href="/nordic-cert/contact/">Report an incident</a> | <a href="/nordic-cert/sv/">Svenska</a></td></tr></table>
<div id="bulletin">
<h1>${escapeHtml(article.title)}</h1>
<p class="bulletin-meta">Published ${longEnglishDate(shown, outlet.utcOffset)} · Bulletin ${number} · ${escapeHtml(article.author)}</p>
<p class="lead"><b>${escapeHtml(article.dek)}</b></p>
<div class="bulletin-text">
${bodyWith(context, [])}
</div>
<p class="print"><a href="javascript:window.print()">Print this bulletin</a></p>
</div>
${linkList('See also', context.related.slice(0, 4), 'see-also')}
${newsletterBox(outlet.name, 'Bulletins by e-mail, the moment they are published.')}
<div class="cookie">${cookieBanner(outlet.name, 'cookie-notice')}</div>
<div id="footer">${escapeHtml(outlet.name)} · Coordinating incident response across the Nordic region · <a href="/nordic-cert/rss.xml">RSS</a></div>
</body>
</html>`;
};

const tokyoThreatWatch: Template = (context) => {
  const { article, outlet } = context;
  const shown = pageDate(article);
  const japanese = article.lang === 'ja';
  return `<!DOCTYPE html>
<html lang="${article.lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(article.title)}｜${escapeHtml(outlet.name)}</title>
<meta name="description" content="${escapeHtml(article.dek)}">
</head>
<body>
<div class="header"><div class="logo"><a href="/tokyo-threat-watch/">${escapeHtml(outlet.name)}</a> <span>東京脅威ウォッチ</span></div>
<ul class="gnav"><li><a href="/tokyo-threat-watch/">ホーム</a></li><li><a href="/tokyo-threat-watch/news/">ニュース</a></li><li><a href="/tokyo-threat-watch/en/">English</a></li><li><a href="/tokyo-threat-watch/about/">About</a></li></ul></div>
<div class="breadcrumb"><a href="/tokyo-threat-watch/">ホーム</a> &gt; <a href="/tokyo-threat-watch/news/">ニュース</a> &gt; ${escapeHtml(article.title)}</div>
<div class="contents">
<div class="entry">
<div class="date">${japaneseDate(shown, outlet.utcOffset, true)}</div>
<h1 class="entry-title">${escapeHtml(article.title)}</h1>
<div class="writer">${japanese ? '文：' : 'Text: '}${escapeHtml(article.author)}</div>
${figure(context, false)}
<div class="entry-body">
${bodyWith(context, [{ after: 1, html: adSlot('8800776655') }])}
</div>
${shareBar(context.url, article.title, 'sns-buttons')}
${linkList(japanese ? '関連記事' : 'Related articles', context.related.slice(0, 4), 'kanren')}
</div>
<div class="side">${linkList('アクセスランキング', context.related.slice(1, 6), 'ranking')}${adSlot('8800776656', 'rectangle')}</div>
</div>
${newsletterBox(outlet.name, '週刊メールマガジン：日本とアジアのサイバー脅威を毎週お届けします。')}
<div class="footer">© 2026 Tokyo Threat Watch 株式会社 | <a href="/tokyo-threat-watch/feed.atom">Atom</a> | <a href="/privacy">プライバシーポリシー</a></div>
${cookieBanner(outlet.name, 'cookie-consent')}
</body>
</html>`;
};

const wireRelay: Template = (context) => {
  const { article, outlet, url } = context;
  const shown = pageDate(article);
  return `<!DOCTYPE html>
<html lang="${article.lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(article.title)}</title>
<meta name="DC.title" content="${escapeHtml(article.title)}">
<meta name="DC.date.issued" content="${shown}">
<meta name="DC.publisher" content="${escapeHtml(outlet.name)}">
<link rel="canonical" href="${url}">
</head>
<body>
<div id="masthead"><a href="/wire-relay/">${escapeHtml(outlet.name)}</a> — ${escapeHtml(outlet.tagline)}</div>
<div id="topnav"><a href="/wire-relay/">All releases</a> <a href="/wire-relay/security/">Security</a> <a href="/wire-relay/technology/">Technology</a> <a href="/wire-relay/submit/">Submit a release</a></div>
${adSlot('6600112233', 'horizontal')}
<div class="release">
<p class="release-label">NEWS PROVIDED BY<br><strong>${escapeHtml(article.author)}</strong></p>
<h1>${escapeHtml(article.title)}</h1>
<h2 class="release-sub">${escapeHtml(article.dek)}</h2>
<p class="release-date">${shortEnglishDateTime(shown, outlet.utcOffset)} ET</p>
${shareBar(url, article.title, 'release-share')}
<div class="release-body">
${bodyWith(context, [])}
</div>
<p class="release-contact">Media contact: press@example.com</p>
</div>
${linkList('More news releases', context.related.slice(0, 5), 'more-releases')}
${linkList('More news releases', context.related.slice(0, 5), 'more-releases more-releases--footer')}
${newsletterBox(outlet.name, 'Receive releases in your industry by e-mail.')}
<div id="footer">Wire Relay distributes press releases on behalf of the issuing organisations, which are solely responsible for their content. © 2026</div>
${cookieBanner(outlet.name, 'cookies')}
${trackingScripts(outlet.name)}
</body>
</html>`;
};

export const TEMPLATES: Readonly<Record<string, Template>> = {
  'breach-ledger': breachLedger,
  'patch-monday': patchMonday,
  'exploit-desk': exploitDesk,
  'kernel-wire': kernelWire,
  'nordic-cert': nordicCert,
  'tokyo-threat-watch': tokyoThreatWatch,
  'wire-relay': wireRelay,
};
