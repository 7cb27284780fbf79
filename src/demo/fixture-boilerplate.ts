/**
 * The clutter real news pages wrap around an article (see the seed in ../shared/seed: promos, repeated
 * related lists, AdSense slots). Each outlet template mixes these in its own markup so extractors meet
 * the variety they will meet on the web.
 */
import type { FixtureArticle } from './fixture-data.js';
import { escapeHtml } from './fixture-html.js';

export interface LinkTarget {
  title: string;
  url: string;
}

/** AdSense-style slot, with the push script real pages carry. */
export function adSlot(slot: string, format = 'auto'): string {
  return `<div class="ad-wrapper"><span class="ad-label">Advertisement</span>
<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000000" data-ad-slot="${slot}" data-ad-format="${format}" data-full-width-responsive="true"></ins>
<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>`;
}

export function cookieBanner(siteName: string, className: string): string {
  return `<div class="${className}" role="dialog" aria-label="Cookie consent">
<p>${escapeHtml(siteName)} and our partners use cookies to personalise content and ads, and to analyse our traffic. By clicking "Accept all" you agree to the storing of cookies on your device.</p>
<button class="accept">Accept all</button> <button class="reject">Reject non-essential</button> <a href="/privacy">Privacy policy</a></div>`;
}

export function shareBar(url: string, title: string, className: string): string {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  return `<div class="${className}"><span>Share this article:</span>
<a href="https://twitter.com/intent/tweet?url=${u}&amp;text=${t}" rel="nofollow">X</a>
<a href="https://www.linkedin.com/sharing/share-offsite/?url=${u}" rel="nofollow">LinkedIn</a>
<a href="https://www.facebook.com/sharer/sharer.php?u=${u}" rel="nofollow">Facebook</a>
<a href="mailto:?subject=${t}&amp;body=${u}">Email</a>
<button class="copy-link" data-url="${escapeHtml(url)}">Copy link</button></div>`;
}

export function newsletterBox(siteName: string, pitch: string): string {
  return `<aside class="newsletter-signup"><h3>Get the ${escapeHtml(siteName)} newsletter</h3>
<p>${escapeHtml(pitch)}</p>
<form action="/subscribe" method="post"><input type="email" name="email" placeholder="you@example.com"><button type="submit">Subscribe</button></form>
<p class="fine-print">You can unsubscribe at any time. We never sell your address.</p></aside>`;
}

export function linkList(heading: string, links: LinkTarget[], className: string, headingTag = 'h3'): string {
  const items = links.map((link) => `<li><a href="${escapeHtml(link.url)}">${escapeHtml(link.title)}</a></li>`).join('\n');
  return `<section class="${className}"><${headingTag}>${escapeHtml(heading)}</${headingTag}>\n<ul>\n${items}\n</ul></section>`;
}

const BIOS = [
  'has covered cybercrime, breaches and the people who clean up after them for more than a decade.',
  'writes about vulnerabilities, patches and the slow work of keeping networks up to date.',
  'reports on nation-state hacking, policy and the economics of ransomware.',
  'follows threat intelligence research and the security industry.',
];

function pick<T>(list: readonly T[], seed: string): T {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return list[hash % list.length] as T;
}

export function authorBio(author: string, siteName: string, className: string): string {
  return `<div class="${className}"><img class="avatar" src="/img/avatar.png" alt="" width="64" height="64">
<p><strong>${escapeHtml(author)}</strong> ${escapeHtml(pick(BIOS, author))} Follow ${escapeHtml(author.split(' ')[0] ?? author)} for more stories from ${escapeHtml(siteName)}.</p></div>`;
}

const COMMENTS = [
  ['netadmin_42', 'Patched ours last night. The vendor advisory was vague about which builds were affected, so check the version string yourself.'],
  ['Marisol V.', 'Another reminder that asset inventory is the boring control nobody funds until something like this happens.'],
  ['old_sysop', 'I remember when a breach notice took six months. Progress, I guess.'],
  ['k.tanaka', 'Good write-up. Any word on whether the IoCs will be shared with the ISACs?'],
  ['PacketPusher', 'Segment your management interfaces. Please. I am begging you.'],
];

export function commentsSection(article: FixtureArticle, className: string): string {
  const first = COMMENTS.indexOf(pick(COMMENTS, article.slug));
  const shown = [COMMENTS[first], COMMENTS[(first + 2) % COMMENTS.length]];
  const items = shown
    .map((comment) => `<li class="comment"><span class="comment-author">${escapeHtml(comment?.[0] ?? '')}</span><p>${escapeHtml(comment?.[1] ?? '')}</p><a class="reply" href="#reply">Reply</a></li>`)
    .join('\n');
  return `<section class="${className}" id="comments"><h3>${shown.length} Comments</h3>\n<ol>\n${items}\n</ol>
<form class="comment-form"><textarea name="comment" placeholder="Join the discussion"></textarea><button>Post comment</button></form></section>`;
}

export function trackingScripts(siteName: string): string {
  return `<script async src="https://www.googletagmanager.com/gtag/js?id=G-FIXTURE"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('js',new Date());gtag('config','G-FIXTURE',{site:'${escapeHtml(siteName)}'});</script>
<img src="/pixel.gif?site=${encodeURIComponent(siteName)}" width="1" height="1" alt="" style="display:none">`;
}
