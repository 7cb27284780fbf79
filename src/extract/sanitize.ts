import sanitizeHtml from 'sanitize-html';

/**
 * The allowlist for article and feed HTML: prose, headings, lists, quotes, code, tables, figures with
 * images and captions, links. Everything else (scripts, styles, handlers, iframes, forms) goes; URLs
 * become absolute http(s) or are dropped; lazy images get their real source; 1x1 pixels go.
 */

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'code',
  'em', 'strong', 'b', 'i', 'u', 's', 'sub', 'sup', 'mark', 'small', 'abbr', 'cite', 'q', 'del', 'kbd', 'samp', 'time',
  'a', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
];

const LAZY_SOURCE_ATTRIBUTES = ['data-src', 'data-lazy-src', 'data-original', 'data-orig-file', 'data-url', 'data-hi-res-src', 'data-lazy'];
const LAZY_SRCSET_ATTRIBUTES = ['data-srcset', 'data-lazy-srcset', 'srcset'];

export function absoluteHttpUrl(raw: string | undefined, baseUrl: string): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  if (!trimmed || trimmed.startsWith('data:')) return null;
  try {
    const url = new URL(trimmed, baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** The widest candidate of a srcset ("a.jpg 320w, b.jpg 1024w" -> b.jpg). */
export function largestFromSrcset(srcset: string | undefined): string | null {
  if (!srcset) return null;
  let best: { url: string; size: number } | null = null;
  for (const candidate of srcset.split(/,\s+/)) {
    const [url, descriptor] = candidate.trim().split(/\s+/);
    if (!url) continue;
    const size = descriptor ? Number.parseFloat(descriptor) || 1 : 1;
    if (!best || size > best.size) best = { url, size };
  }
  return best?.url ?? null;
}

function isPlaceholder(src: string | undefined): boolean {
  return !src || src.startsWith('data:') || /(?:blank|spacer|placeholder|pixel|lazy|loading|grey|transparent)\.(?:gif|png|svg|jpg)/i.test(src);
}

/** The real source of a possibly lazy-loaded image, absolute, or null. */
export function imageSource(attribs: Record<string, string>, baseUrl: string): string | null {
  const candidates: Array<string | null | undefined> = [];
  if (!isPlaceholder(attribs['src'])) candidates.push(attribs['src']);
  for (const name of LAZY_SOURCE_ATTRIBUTES) candidates.push(attribs[name]);
  for (const name of LAZY_SRCSET_ATTRIBUTES) candidates.push(largestFromSrcset(attribs[name]));
  candidates.push(attribs['src']);
  for (const candidate of candidates) {
    const url = absoluteHttpUrl(candidate ?? undefined, baseUrl);
    if (url) return url;
  }
  return null;
}

function isTrackingPixel(attribs: Record<string, string>): boolean {
  return attribs['width'] === '1' || attribs['height'] === '1' || attribs['width'] === '0' || attribs['height'] === '0';
}

export function sanitizeArticleHtml(html: string, baseUrl: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      time: ['datetime'],
      ol: ['start'],
      abbr: ['title'],
    },
    allowedSchemes: ['http', 'https'],
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'template', 'svg', 'button', 'select', 'nav'],
    transformTags: {
      h1: 'h2',
      a: (tagName, attribs) => {
        const href = absoluteHttpUrl(attribs['href'], baseUrl);
        const kept: Record<string, string> = {};
        if (href) kept['href'] = href;
        if (attribs['title']) kept['title'] = attribs['title'];
        return { tagName, attribs: kept };
      },
      img: (tagName, attribs) => {
        const src = imageSource(attribs, baseUrl);
        const kept: Record<string, string> = {};
        if (src) kept['src'] = src;
        for (const name of ['alt', 'title', 'width', 'height']) {
          const value = attribs[name];
          if (value !== undefined) kept[name] = value;
        }
        return { tagName, attribs: kept };
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && (!frame.attribs['src'] || isTrackingPixel(frame.attribs)),
  });
}
