import sanitizeHtml from 'sanitize-html';
import type { AnyNode, Element } from 'domhandler';

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
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'template', 'svg', 'button', 'select', 'nav', 'video', 'audio'],
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

/** The same allowlist as sanitizeArticleHtml, per tag (the attributes a and img keep are rebuilt below). */
const ALLOWED_TAG_SET = new Set([...ALLOWED_TAGS, 'h1']);
const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan', 'scope'], time: ['datetime'], ol: ['start'], abbr: ['title'],
};
/** Dropped with everything inside them, as sanitize-html's nonTextTags. */
const DROPPED_WITH_CONTENT = new Set(['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'template', 'svg', 'button', 'select', 'nav', 'video', 'audio']);
const SELF_CLOSING = new Set(['img', 'br', 'hr']);

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}

/** The kept attributes of an allowed element, in output order; null drops the element (an image without a source, a pixel). */
function keptAttributes(element: Element, baseUrl: string): Array<[string, string]> | null {
  const attribs = element.attribs;
  const kept: Array<[string, string]> = [];
  if (element.name === 'a') {
    const href = absoluteHttpUrl(attribs['href'], baseUrl);
    if (href) kept.push(['href', href]);
    if (attribs['title']) kept.push(['title', attribs['title']]);
    return kept;
  }
  if (element.name === 'img') {
    const src = imageSource(attribs, baseUrl);
    if (!src || isTrackingPixel(attribs)) return null;
    kept.push(['src', src]);
    for (const name of ['alt', 'title', 'width', 'height']) {
      const value = attribs[name];
      // An empty alt says "decorative"; other empty attributes say nothing.
      if (value !== undefined && (value !== '' || name === 'alt')) kept.push([name, value]);
    }
    return kept;
  }
  const allowed = ALLOWED_ATTRIBUTES[element.name];
  if (allowed) for (const [name, value] of Object.entries(attribs)) if (value !== '' && allowed.includes(name)) kept.push([name, value]);
  return kept;
}

/**
 * Sanitized HTML of already-parsed nodes, by the rules of sanitizeArticleHtml, written straight from the
 * DOM: serializing the body and parsing it again in sanitize-html cost a seventh of the extraction.
 */
export function sanitizeNodes(nodes: readonly AnyNode[], baseUrl: string): string {
  return nodes.map((node) => sanitizeTree(node, baseUrl)).join('\n');
}

type Step = { node: AnyNode } | { close: string };

function sanitizeTree(root: AnyNode, baseUrl: string): string {
  let out = '';
  // Iterative: article markup can nest deeper than the call stack allows.
  const stack: Step[] = [{ node: root }];
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if ('close' in step) {
      out += `</${step.close}>`;
      continue;
    }
    const node = step.node;
    if (node.type === 'text') {
      out += escapeText(node.data);
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
    const element = node as Element;
    if (DROPPED_WITH_CONTENT.has(element.name)) continue;
    const pushChildren = (): void => {
      for (let index = element.children.length - 1; index >= 0; index -= 1) stack.push({ node: element.children[index] as AnyNode });
    };
    if (!ALLOWED_TAG_SET.has(element.name)) {
      pushChildren();
      continue;
    }
    const attributes = keptAttributes(element, baseUrl);
    if (!attributes) continue;
    const name = element.name === 'h1' ? 'h2' : element.name;
    out += `<${name}${attributes.map(([key, value]) => ` ${key}="${escapeAttribute(value)}"`).join('')}`;
    if (SELF_CLOSING.has(name)) {
      out += ' />';
      continue;
    }
    out += '>';
    stack.push({ close: name });
    pushChildren();
  }
  return out;
}
