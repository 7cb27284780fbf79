import type { CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element, ParentNode } from 'domhandler';
import { childElements, elementsUnder, elementsWithin, hintString, isElement, normalizeSpace, removeNode, textOf } from './dom.js';
import type { SiteRules } from './rules.js';
import { findStandfirst } from './standfirst.js';

/**
 * Finding the article body: site rules first, else content scoring over the DOM (paragraph text,
 * commas, link density, class/id hints, tag kind) in the manner of Readability, then cleaning the
 * chosen subtree of the boilerplate that sits inside articles (share bars, promos, related lists...).
 */

const JUNK_TAGS = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'applet', 'button', 'input', 'select', 'textarea', 'svg', 'canvas', 'link', 'meta', 'dialog', 'ins']);
/** Elements never dropped on class/id hints alone: a paragraph is prose whatever its class says. */
const KEEP_IN_PREPARE = new Set(['body', 'a', 'article', 'main', 'p']);
const ALWAYS_OUT_TAGS = new Set(['nav', 'aside', 'footer', 'menu']);
const OUT_ROLES = new Set(['navigation', 'complementary', 'menu', 'menubar', 'banner', 'contentinfo', 'alert', 'alertdialog', 'dialog', 'search']);

const UNLIKELY = /-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|foot|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|subscribe|promo|share|sharing|cookie|consent|recommend|outbrain|taboola|masthead|navbar|toolbar|widget/;
/** Reader comments named as such: a layout class beside it ("columns") does not make them content. */
const READER_COMMENTS = /(?:^|[\s_-])(?:comments?|disqus)(?:[\s_-]|$)/;
const MAYBE = /and|article|body|column|content|main|shadow|story|entry|post-?text/;
const POSITIVE = /article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose/;
const NEGATIVE = /-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|widget|newsletter|subscribe|recommend|social|cookie|byline|author|caption-credit/;

/** Class/id tokens that mark boilerplate even inside the article container. */
const BOILERPLATE_TOKEN = /(?:^|[\s_-])(?:share|shares|sharing|sharebar|social|socials|newsletter|newsletters|subscribe|subscription|signup|sign-up|sign-?in|log-?in|paywall-?(?:offer|prompt|promo|cta)|registration-?wall|regwall|promo|promos|promotion|related|recommend|recommends|recommended|recommendations|read-?more|more-?stories|comments?|disqus|author-?bio|about-?author|author-?box|author-?card|bio-?box|byline|bylines|dateline|author-?info|article-?meta|post-?meta|entry-?meta|reading-?time|read-?time|cookie|cookies|consent|gdpr|advert|advertisement|advertising|ads?|adslot|ad-?slot|ad-?container|ad-?wrapper|adsbygoogle|dfp|gpt|sponsored|sponsor|outbrain|taboola|breadcrumbs?|tag-?list|tag-?box|tags|inline-?teaser|popular|trending|inline-?cta|cta|nav|navigation|toc-?toggle|print|pagination)(?:[\s_-]|$)/;
const BOILERPLATE_HEADING = /^(?:related(?: (?:articles?|stories|posts|content|coverage|reading))?|read (?:more|next|also)|more (?:from|on|about|stories|news|reading)\b.*|see also|also read|you (?:may|might) also (?:like|enjoy)|recommended(?: for you| reading| stories)?|.{0,20}\brecommends|most (?:popular|read)|trending(?: now)?|popular (?:stories|posts|articles)|latest (?:news|stories|articles)|share (?:this|the) (?:article|story|post)|about the author|comments?|leave a (?:reply|comment)|sign up.*newsletter.*|subscribe.*|newsletter|tags?|topics?|related topics|weitere artikel|mehr zum thema|lesen sie auch|à lire aussi|lire aussi|te puede interesar|関連記事)\s*:?$/i;
const READ_MORE_LINE = /^(?:read more|read next|related|also read|also|see also|recommended|more|mehr|lesen sie auch|lire aussi|à lire aussi|lee también)\s*[:»>|-]/i;
/** A "Read more: ..." line is one link long; longer blocks are prose that happens to start so. */
const READ_MORE_MAX_CHARS = 300;
/** Photo credits inside figures ("Image: Getty Images"): the picture's, not the article's words. */
const CREDIT_TOKEN = /(?:^|[\s_-])(?:credits?|copyright|image-?source|photo-?credit)(?:[\s_-]|$)/;
const BLOCK_TAGS = new Set(['address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul', 'select']);

export interface BodyOptions {
  rules: SiteRules | null;
  title: string | null;
  /** The page's meta description: the standfirst printed above the body repeats it. */
  description: string | null;
}

interface Stats {
  /** Characters of text (each text node trimmed), of text inside links, and commas. */
  text: number;
  link: number;
  commas: number;
  /** Descendant element counts by kind, for the conditional cleaning. */
  paragraphs: number;
  images: number;
  items: number;
  headings: number;
  figures: number;
  code: number;
  tableHeads: number;
}

const COUNTED: Record<string, keyof Stats> = {
  p: 'paragraphs', img: 'images', picture: 'images', video: 'images', li: 'items', figure: 'figures', pre: 'code', th: 'tableHeads',
  h1: 'headings', h2: 'headings', h3: 'headings', h4: 'headings', h5: 'headings', h6: 'headings',
};

function emptyStats(): Stats {
  return { text: 0, link: 0, commas: 0, paragraphs: 0, images: 0, items: 0, headings: 0, figures: 0, code: 0, tableHeads: 0 };
}

function countCommas(text: string): number {
  let commas = 0;
  for (let index = text.indexOf(','); index >= 0; index = text.indexOf(',', index + 1)) commas += 1;
  for (const char of ['，', '、']) if (text.includes(char)) commas += text.split(char).length - 1;
  return commas;
}

/**
 * Text, link text, commas and element counts of every element under `root`, in one bottom-up pass:
 * scoring and cleaning read them many times, and a walk per question made pages quadratic.
 */
function computeStats(nodes: readonly AnyNode[]): Map<Element, Stats> {
  const all = new Map<Element, Stats>();
  const elements = elementsWithin(nodes);
  for (let index = elements.length - 1; index >= 0; index -= 1) {
    const element = elements[index] as Element;
    const stats = emptyStats();
    for (const child of element.children) {
      if (child.type === 'text') {
        stats.text += child.data.trim().length;
        stats.commas += countCommas(child.data);
      } else if (isElement(child)) {
        const inner = all.get(child);
        if (!inner) continue;
        stats.text += inner.text;
        stats.link += inner.link;
        stats.commas += inner.commas;
        stats.paragraphs += inner.paragraphs;
        stats.images += inner.images;
        stats.items += inner.items;
        stats.headings += inner.headings;
        stats.figures += inner.figures;
        stats.code += inner.code;
        stats.tableHeads += inner.tableHeads;
        const counted = COUNTED[child.name];
        if (counted) stats[counted] += 1;
      }
    }
    if (element.name === 'a') stats.link = stats.text;
    all.set(element, stats);
  }
  return all;
}

function linkDensity(stats: Stats): number {
  return stats.text === 0 ? 0 : stats.link / stats.text;
}

function classWeight(element: Element): number {
  const hints = hintString(element).trim();
  if (!hints) return 0;
  let weight = 0;
  if (NEGATIVE.test(hints)) weight -= 25;
  if (POSITIVE.test(hints)) weight += 25;
  return weight;
}

function tagWeight(name: string): number {
  switch (name) {
    case 'article': return 10;
    case 'main':
    case 'div': return 5;
    case 'pre':
    case 'td':
    case 'blockquote': return 3;
    case 'address': case 'ol': case 'ul': case 'dl': case 'dd': case 'dt': case 'li': case 'form': return -3;
    case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': case 'th': return -5;
    default: return 0;
  }
}

function isHidden(element: Element): boolean {
  const style = element.attribs['style'];
  if (style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  return 'hidden' in element.attribs;
}

/**
 * Class and id hints of a box, without an id made from the box's own heading: documentation and wiki
 * sections take their anchor from their title ("sharing-with-a-single-developer"), which says nothing of
 * the box being a share bar.
 */
function boxHints(element: Element, patterns: readonly RegExp[]): string {
  const hints = hintString(element).trim();
  // The heading is read only for the few boxes the hints would condemn.
  const id = element.attribs['id'];
  if (!id || !patterns.some((pattern) => pattern.test(hints)) || !isHeadingSlug(element, id)) return hints;
  return (element.attribs['class'] ?? '').toLowerCase().trim();
}

function unlikelyHints(element: Element): string {
  return boxHints(element, [UNLIKELY]);
}

function isHeadingSlug(element: Element, id: string): boolean {
  const heading = childElements(element).find((child) => /^h[1-6]$/.test(child.name));
  return heading !== undefined && headlineKey(textOf(heading)) === headlineKey(id);
}

function hasBlockChild(element: Element): boolean {
  return element.children.some((child) => isElement(child) && BLOCK_TAGS.has(child.name));
}

function removeAll(nodes: Element[]): void {
  for (const node of nodes) removeNode(node);
}

/** Drops what is never content, wherever it sits. */
function prepare(root: ParentNode, removeUnlikely: boolean): void {
  // Ancestors of an <article> or <main> are never "unlikely", whatever their class says.
  const holdsArticle = new Set<ParentNode>();
  for (const element of elementsUnder(root)) {
    if (element.name !== 'article' && element.name !== 'main') continue;
    for (let current = element.parent; current && !holdsArticle.has(current); current = current.parent) holdsArticle.add(current);
  }
  const doomed: Element[] = [];
  // Hints alone do not drop the box that holds most of the page's prose (a share widget's id on the article's wrapper).
  // Measured only for the few hinted boxes: a stats pass over the whole page here cost a tenth of the extraction.
  let rootText: number | null = null;
  const holdsPageProse = (element: Element): boolean => {
    rootText ??= textAndLinks(root).text;
    return holdsTheProse(textAndLinks(element), rootText);
  };
  const isDoomed = (element: Element): boolean => {
    // Hidden boxes go in the strict pass only: streamed pages (React/Next.js) park the article in one.
    if (JUNK_TAGS.has(element.name) || ALWAYS_OUT_TAGS.has(element.name)) return true;
    if (removeUnlikely && isHidden(element) && !isHiddenProse(textAndLinks(element))) return true;
    const role = element.attribs['role'];
    if (role && OUT_ROLES.has(role)) return true;
    if (!removeUnlikely || KEEP_IN_PREPARE.has(element.name) || holdsArticle.has(element)) return false;
    const hints = unlikelyHints(element);
    return hints !== '' && UNLIKELY.test(hints) && (!MAYBE.test(hints) || READER_COMMENTS.test(hints)) && !insideSentence(element) && !holdsPageProse(element);
  };
  // Pre-order, not descending into what goes: nothing inside a doomed box needs judging (or measuring).
  const stack: Element[] = childElements(root).reverse();
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    if (isDoomed(element)) {
      doomed.push(element);
      continue;
    }
    for (let index = element.children.length - 1; index >= 0; index -= 1) {
      const child = element.children[index] as AnyNode;
      if (isElement(child)) stack.push(child);
    }
  }
  removeAll(doomed);
}

/** An element with words of a sentence beside it (a formula, a term) is part of that sentence, whatever its class. */
function insideSentence(element: Element): boolean {
  const siblings = element.parent?.children ?? [];
  return siblings.some((sibling) => sibling.type === 'text' && trimmedLength(sibling.data) > 0);
}

interface Scored {
  element: Element;
  score: number;
}

function scoreCandidates(root: ParentNode, useWeights: boolean): { candidates: Map<Element, Scored>; stats: Map<Element, Stats> } {
  const stats = computeStats(root.children);
  const candidates = new Map<Element, Scored>();
  const init = (element: Element): Scored => {
    let scored = candidates.get(element);
    if (!scored) {
      scored = { element, score: tagWeight(element.name) + (useWeights ? classWeight(element) : 0) };
      candidates.set(element, scored);
    }
    return scored;
  };
  for (const [element, own] of stats) {
    const scorable = element.name === 'p' || element.name === 'pre' || element.name === 'td' ||
      ((element.name === 'div' || element.name === 'section' || element.name === 'article') && !hasBlockChild(element));
    // A list item of prose (release notes, changelogs written as bullets) counts like a paragraph; a link list does not.
    const proseItem = element.name === 'li' && !hasBlockChild(element) && linkDensity(own) < 0.5;
    if ((!scorable && !proseItem) || own.text < 25) continue;
    const score = 1 + own.commas + Math.min(Math.floor(own.text / 100), 3);
    let ancestor = element.parent;
    for (let level = 0; level < 5 && ancestor && isElement(ancestor); level += 1) {
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      init(ancestor).score += score / divider;
      ancestor = ancestor.parent;
    }
  }
  for (const scored of candidates.values()) scored.score *= 1 - linkDensity(stats.get(scored.element) ?? emptyStats());
  return { candidates, stats };
}

/** The chosen container, and `block`, the scored element it was climbed to from (its class names the body's chunks). */
function pickTop(candidates: Map<Element, Scored>): (Scored & { block: Element }) | null {
  const ranked = [...candidates.values()].sort((a, b) => b.score - a.score);
  let top = ranked[0];
  if (!top) return null;
  // When several strong candidates share an ancestor, the article is that ancestor (split bodies).
  const strong = ranked.slice(1, 6).filter((other) => other.score >= top!.score * 0.75);
  if (strong.length >= 2) {
    let ancestor = top.element.parent;
    while (ancestor && isElement(ancestor) && ancestor.name !== 'body') {
      const holds = strong.filter((other) => isAncestor(ancestor as Element, other.element)).length;
      if (holds >= 2) {
        top = candidates.get(ancestor) ?? { element: ancestor, score: top.score };
        break;
      }
      ancestor = ancestor.parent;
    }
  }
  // An only child carries no more than its parent: climb to keep siblings like lead images.
  let element = top.element;
  while (element.parent && isElement(element.parent) && element.parent.name !== 'body' && childElements(element.parent).length === 1) {
    element = element.parent;
  }
  return { element, score: top.score, block: top.element };
}

/** Paragraphs of prose outside the chosen block that make an ancestor worth reading: at least this many, this long. */
const ANCESTOR_MIN_PARAGRAPHS = 2;
const ANCESTOR_MIN_CHARS = 400;
const ANCESTOR_PARAGRAPH_MIN_CHARS = 100;
const ANCESTOR_PARAGRAPH_MAX_LINK_DENSITY = 0.25;
/** Paragraphs inside these are captions, quotes or page furniture, not the body's missing prose. */
const NOT_BODY_PROSE = new Set(['figure', 'figcaption', 'blockquote', 'header', 'aside', 'footer', 'nav', 'table']);

/**
 * Readability's climb: going up from the chosen block, an ancestor that scores more than the one below it
 * holds more of the article (a body whose last paragraphs sit in a "read more" wrapper below its first
 * ones). The climb stops at an ancestor scoring under a third of the block, and never leaves the block's
 * own <article>. Returns that ancestor's paragraphs of prose outside `kept`, or none.
 */
function proseAboveBlock(top: Scored, kept: Element[], candidates: Map<Element, Scored>, allStats: Map<Element, Stats>): Element[] {
  const floor = top.score / 3;
  let lastScore = top.score;
  const article = enclosingArticle(top.element);
  for (let parent = top.element.parent; parent && isElement(parent) && parent.name !== 'body' && parent !== article?.parent; parent = parent.parent) {
    const scored = candidates.get(parent);
    if (!scored) continue;
    if (scored.score < floor) return [];
    if (scored.score > lastScore) return proseParagraphsOutside(parent, kept, allStats);
    lastScore = scored.score;
  }
  return [];
}

function proseParagraphsOutside(ancestor: Element, kept: Element[], allStats: Map<Element, Stats>): Element[] {
  const keptSet = new Set(kept);
  const found: Element[] = [];
  let chars = 0;
  const stack: Element[] = childElements(ancestor).reverse();
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    if (keptSet.has(element) || NOT_BODY_PROSE.has(element.name)) continue;
    if (element.name === 'p') {
      const stats = allStats.get(element);
      if (stats && stats.text >= ANCESTOR_PARAGRAPH_MIN_CHARS && linkDensity(stats) <= ANCESTOR_PARAGRAPH_MAX_LINK_DENSITY) {
        found.push(element);
        chars += stats.text;
      }
      continue;
    }
    for (let index = element.children.length - 1; index >= 0; index -= 1) {
      const child = element.children[index] as AnyNode;
      if (isElement(child)) stack.push(child);
    }
  }
  return found.length >= ANCESTOR_MIN_PARAGRAPHS && chars >= ANCESTOR_MIN_CHARS ? found : [];
}

/** The nearest ancestor of `top` that holds every one of `others`. */
function commonRoot(top: Element, others: Element[]): Element {
  let root: Element = top;
  while (root.parent && isElement(root.parent) && !others.every((other) => isAncestor(root, other))) root = root.parent;
  return root;
}

/**
 * The elements under `root` (not itself) that `visit` takes, in document order; a taken or skipped element's
 * descendants are not visited. An explicit stack, as deep pages would overflow a recursive walk.
 */
function collectInOrder(root: Element, visit: (element: Element) => 'take' | 'skip' | 'descend'): Element[] {
  const taken: Element[] = [];
  const stack: Element[] = childElements(root).reverse();
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    const verdict = visit(element);
    if (verdict === 'take') taken.push(element);
    if (verdict !== 'descend') continue;
    for (let index = element.children.length - 1; index >= 0; index -= 1) {
      const child = element.children[index] as AnyNode;
      if (isElement(child)) stack.push(child);
    }
  }
  return taken;
}

/** `kept` and `extra` in document order under their common ancestor `root`. */
function inDocumentOrder(root: Element, kept: Element[], extra: Element[]): Element[] {
  const wanted = new Set([...kept, ...extra]);
  const ordered = collectInOrder(root, (element) => (wanted.has(element) ? 'take' : 'descend'));
  // Kept blocks outside `root` (none expected) keep their place at the end rather than vanish.
  return [...ordered, ...kept.filter((element) => !ordered.includes(element))];
}

/** A sibling box of several paragraphs of prose scores low when they sit deep inside it (a live blog's entries). */
const PROSE_BOX_MIN_PARAGRAPHS = 8;
const PROSE_BOX_MIN_CHARS = 1500;
const PROSE_BOX_MAX_LINK_DENSITY = 0.3;

function isProseBox(element: Element, allStats: Map<Element, Stats>): boolean {
  const stats = allStats.get(element);
  // Teaser lists have a heading over every blurb; a live blog's entries run to several paragraphs each.
  return !!stats && stats.paragraphs >= PROSE_BOX_MIN_PARAGRAPHS && stats.paragraphs >= 2 * stats.headings &&
    stats.text >= PROSE_BOX_MIN_CHARS && linkDensity(stats) < PROSE_BOX_MAX_LINK_DENSITY;
}

function isAncestor(ancestor: Element, node: Element): boolean {
  let current = node.parent;
  while (current) {
    if (current === ancestor) return true;
    current = current.parent;
  }
  return false;
}

function gatherWithSiblings(top: Scored, candidates: Map<Element, Scored>, allStats: Map<Element, Stats>): Element[] {
  const parent = top.element.parent;
  if (!parent || !isElement(parent)) return [top.element];
  const threshold = Math.max(10, top.score * 0.2);
  const topClass = top.element.attribs['class'] ?? '';
  const kept: Element[] = [];
  for (const sibling of childElements(parent)) {
    if (sibling === top.element) {
      kept.push(sibling);
      continue;
    }
    const bonus = topClass && sibling.attribs['class'] === topClass ? top.score * 0.2 : 0;
    const score = candidates.get(sibling)?.score ?? 0;
    if (score + bonus >= threshold || isProseBox(sibling, allStats)) {
      kept.push(sibling);
    } else if (sibling.name === 'p') {
      const stats = allStats.get(sibling) ?? emptyStats();
      const density = linkDensity(stats);
      const text = textOf(sibling);
      if ((stats.text > 80 && density < 0.25) || (stats.text > 0 && stats.text <= 80 && density === 0 && /\.( |$)/.test(text))) kept.push(sibling);
    }
  }
  return kept;
}

/** Removes boilerplate that lives inside the article container. */
export function cleanContainer(container: Element, title: string | null, conditional: boolean): void {
  const doomed = new Set<Element>();
  const elements = elementsUnder(container);
  const allStats = computeStats([container]);
  const statsFor = (element: Element): Stats => allStats.get(element) ?? emptyStats();
  const containerText = statsFor(container).text;
  for (const element of elements) {
    if (element.name === 'ins' || (conditional && isHidden(element) && !isHiddenProse(statsFor(element)))) {
      doomed.add(element);
      continue;
    }
    const role = element.attribs['role'];
    if (role && OUT_ROLES.has(role)) {
      doomed.add(element);
      continue;
    }
    if (ALWAYS_OUT_TAGS.has(element.name)) {
      doomed.add(element);
      continue;
    }
    const hints = boxHints(element, [BOILERPLATE_TOKEN, CREDIT_TOKEN]);
    if (hints && BOILERPLATE_TOKEN.test(hints) && !/(?:^|\s)(?:article|entry|post|story)-?(?:body|content|text)(?:\s|$)/.test(hints) && !holdsTheProse(statsFor(element), containerText)) {
      doomed.add(element);
      continue;
    }
    if (hints && CREDIT_TOKEN.test(hints)) {
      doomed.add(element);
      continue;
    }
    if (/^h[1-6]$/.test(element.name) || (element.name === 'p' && isLabelParagraph(element, statsFor(element)))) {
      const text = normalizeSpace(textOf(element)).replace(LABEL_BRACKETS, '');
      if (BOILERPLATE_HEADING.test(text)) doomBlock(element, doomed, statsFor);
    }
    if ((element.name === 'p' || element.name === 'div' || element.name === 'li') && statsFor(element).text < READ_MORE_MAX_CHARS && READ_MORE_LINE.test(normalizeSpace(textOf(element)))) {
      if (linkDensity(statsFor(element)) > 0.4) doomed.add(element);
    }
  }
  for (const element of doomed) removeNode(element);
  removeTitleHeading(container, title);
  if (conditional) cleanConditionally(container);
  removeEmpty(container);
}

/** Brackets and bullets around a label ("【関連記事】", "[Related]", "■ Read more"): decoration, not words. */
const LABEL_BRACKETS = /^[\s【［\[〔《<■◆◇●・]+|[\s】］\]〕》>]+$/g;
/** Longest paragraph read as a heading-like label ("Related stories", "【関連記事】"). */
const LABEL_MAX_CHARS = 40;

/** A paragraph standing in for a heading: one styled child (<p><strong>Related</strong></p>) or a short label. */
function isLabelParagraph(element: Element, stats: Stats): boolean {
  if (stats.text >= READ_MORE_MAX_CHARS) return false;
  return (element.children.length === 1 && isElement(element.children[0] as AnyNode)) || stats.text <= LABEL_MAX_CHARS;
}

/** Trimmed text, link text and paragraphs under `node`, as computeStats counts them, for one subtree. */
function textAndLinks(node: ParentNode): { text: number; link: number; paragraphs: number } {
  let text = 0;
  let link = 0;
  let paragraphs = 0;
  const stack: AnyNode[] = [...node.children];
  while (stack.length > 0) {
    const current = stack.pop() as AnyNode;
    if (current.type === 'text') text += trimmedLength(current.data);
    else if (isElement(current)) {
      if (current.name === 'a') {
        const inLink = textAndLinks(current).text;
        text += inLink;
        link += inLink;
        continue;
      }
      if (current.name === 'p') paragraphs += 1;
      for (const child of current.children) stack.push(child);
    }
  }
  return { text, link, paragraphs };
}

/** Paragraphs of prose that a page hides until a paywall or a script opens them: the rest of the article. */
const HIDDEN_PROSE_MIN_CHARS = 500;
const HIDDEN_PROSE_MIN_PARAGRAPHS = 2;
const HIDDEN_PROSE_MAX_LINK_DENSITY = 0.25;

function isHiddenProse(stats: { text: number; link: number; paragraphs: number }): boolean {
  return stats.text >= HIDDEN_PROSE_MIN_CHARS && stats.paragraphs >= HIDDEN_PROSE_MIN_PARAGRAPHS && stats.link / stats.text < HIDDEN_PROSE_MAX_LINK_DENSITY;
}

/** text.trim().length without the copy. */
function trimmedLength(text: string): number {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start += 1;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end -= 1;
  return end - start;
}

function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0xfeff || code === 0x2028 || code === 0x2029 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x205f || code === 0x3000;
}

/** A box holding most of the container's prose is the article even when its class says "paywall" or "share". */
function holdsTheProse(stats: { text: number; link: number }, containerText: number): boolean {
  return stats.text > containerText * 0.5 && (stats.text === 0 ? 0 : stats.link / stats.text) < 0.3;
}

/** A "Related"/"Recommends" heading takes its list along: the heading's own box, or the link-heavy siblings after it. */
function doomBlock(heading: Element, doomed: Set<Element>, statsFor: (element: Element) => Stats): void {
  const parent = heading.parent;
  if (parent && isElement(parent) && childElements(parent)[0] === heading) {
    const stats = statsFor(parent);
    const headingLength = normalizeSpace(textOf(heading)).length;
    if (linkDensity({ ...stats, text: Math.max(1, stats.text - headingLength) }) > 0.35 || stats.text - headingLength < 200) {
      doomed.add(parent);
      return;
    }
  }
  doomed.add(heading);
  let next = heading.next;
  while (next) {
    if (isElement(next)) {
      if (/^h[1-6]$/.test(next.name)) break;
      const stats = statsFor(next);
      const listy = next.name === 'ul' || next.name === 'ol';
      if (listy || linkDensity(stats) > 0.4 || next.name === 'figure') doomed.add(next);
      else break;
    }
    next = next.next;
  }
}

function removeTitleHeading(container: Element, title: string | null): void {
  if (!title) return;
  const wanted = normalizeSpace(title).toLowerCase();
  for (const heading of elementsUnder(container)) {
    if (heading.name !== 'h1' && heading.name !== 'h2') continue;
    if (normalizeSpace(textOf(heading)).toLowerCase() === wanted) removeNode(heading);
    return;
  }
}

/** Readability's conditional cleaning: link-heavy, image-heavy or form-like boxes with little prose go. */
function cleanConditionally(container: Element): void {
  // Top-down with stats taken once: removing a box changes only its ancestors, already judged.
  const allStats = computeStats([container]);
  for (const box of elementsUnder(container)) {
    if (!CONDITIONAL_BOXES.has(box.name) || !isAttached(box, container)) continue;
    const stats = allStats.get(box) ?? emptyStats();
    if (stats.code > 0 || (box.name === 'table' && stats.tableHeads > 0)) continue;
    const weight = classWeight(box);
    if (weight < 0 && stats.text < 500) {
      removeNode(box);
      continue;
    }
    if (stats.commas >= 10) continue;
    const density = linkDensity(stats);
    const isList = box.name === 'ul' || box.name === 'ol';
    const remove =
      (stats.images > 1 && stats.paragraphs / stats.images < 0.5 && stats.figures === 0) ||
      (!isList && stats.items - 100 > stats.paragraphs) ||
      (!isList && stats.headings > 0 && stats.paragraphs === 0 && density > 0.5) ||
      (weight < 25 && density > 0.5 && stats.text < 1000 && !(isList && isProseList(stats))) ||
      (weight >= 25 && density > 0.7) ||
      (isList && density > 0.8 && stats.text < 800 && stats.paragraphs === 0 && stats.images === 0 && !hasProseNeighbour(box));
    if (remove) removeNode(box);
  }
}

/** Unlinked characters per item above which a list is prose with links in it (release notes), not a link list. */
const PROSE_LIST_MIN_OWN_CHARS_PER_ITEM = 40;

function isProseList(stats: Stats): boolean {
  return stats.items > 0 && (stats.text - stats.link) / stats.items >= PROSE_LIST_MIN_OWN_CHARS_PER_ITEM;
}

const CONDITIONAL_BOXES = new Set(['div', 'section', 'ul', 'ol', 'table', 'form', 'aside', 'header']);

function isAttached(element: Element, container: Element): boolean {
  let current: ParentNode | null = element.parent;
  while (current && current !== container) current = current.parent;
  return current === container;
}

/** A list of links inside running prose (a bulleted list of references) stays; a lone link list goes. */
function hasProseNeighbour(box: Element): boolean {
  const previous = box.prev && isElement(box.prev) ? box.prev : box.prev?.prev && isElement(box.prev.prev) ? box.prev.prev : null;
  if (!previous || previous.name !== 'p') return false;
  return /:\s*$/.test(textOf(previous));
}

const EMPTY_REMOVABLE = new Set(['p', 'div', 'section', 'span', 'li', 'ul', 'ol', 'figure', 'header', 'a', 'strong', 'em', 'b', 'i', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote']);

function removeEmpty(container: Element): void {
  const allStats = computeStats([container]);
  for (const element of elementsUnder(container).reverse()) {
    if (!EMPTY_REMOVABLE.has(element.name)) continue;
    const stats = allStats.get(element) ?? emptyStats();
    if (stats.text > 0 || stats.images > 0) continue;
    if (element.name !== 'p' && element.children.some((child) => isElement(child) && child.name === 'br')) continue;
    removeNode(element);
  }
}

function bodyFromRules($: CheerioAPI, rules: SiteRules, title: string | null): Element[] | null {
  for (const selector of rules.body) {
    const matches = $(selector).toArray().filter(isElement);
    const outermost = matches.filter((element) => !matches.some((other) => other !== element && isAncestor(other, element)));
    if (outermost.length === 0) continue;
    for (const element of outermost) {
      if (rules.strip.length > 0) $(element).find(rules.strip.join(', ')).remove();
      cleanContainer(element, title, false);
    }
    // A selector that matched a teaser or an empty shell (a layout change) yields to the generic path.
    const length = outermost.reduce((sum, element) => sum + normalizeSpace(textOf(element)).length, 0);
    if (length >= MIN_BODY_CHARS) return outermost;
  }
  return null;
}

function stripByRules($: CheerioAPI, rules: SiteRules | null): void {
  if (rules && rules.strip.length > 0) $(rules.strip.join(', ')).remove();
}

/**
 * The <body>, looked for where it sits (under the root or <html>) before a CSS query: $('body') walks
 * the whole tree and cost a twentieth of the extraction.
 */
function findBody($: CheerioAPI): Element | undefined {
  const root = $.root()[0];
  for (const top of root ? childElements(root) : []) {
    if (top.name === 'body') return top;
    if (top.name === 'html') {
      const body = childElements(top).find((child) => child.name === 'body');
      if (body) return body;
    }
  }
  const found = $('body')[0];
  return found && isElement(found) ? found : undefined;
}

/** htmlparser2 adds no implied <body>: fragments get a wrapper so scoring has a parent to credit. */
function wrapRoot($: CheerioAPI): Element | undefined {
  const wrapper = $('<div></div>');
  wrapper.append($.root().contents());
  $.root().append(wrapper);
  const element = wrapper[0];
  return element && isElement(element) ? element : undefined;
}

function generic($: CheerioAPI, title: string | null, description: string | null, strict: boolean): Element[] | null {
  const body = findBody($) ?? wrapRoot($);
  if (!body) return null;
  prepare(body, strict);
  const { candidates, stats } = scoreCandidates(body, strict);
  const top = titledArticleTop(pickTop(candidates), candidates, stats, title);
  if (!top) return null;
  let kept = withSplitChunks(gatherWithSiblings(top, candidates, stats), top.element, top.block, stats);
  const extra = proseAboveBlock(top, kept, candidates, stats);
  if (extra.length > 0) kept = inDocumentOrder(commonRoot(top.element, extra), kept, extra);
  for (const element of kept) cleanContainer(element, title, strict);
  return withStandfirst(kept.filter((element) => element.parent !== null), description);
}

/** The standfirst printed above the body's container opens the body. */
function withStandfirst(body: Element[], description: string | null): Element[] {
  const first = body[0];
  const lead = first ? findStandfirst(first, description) : null;
  if (!lead || body.some((element) => isAncestor(element, lead) || isAncestor(lead, element))) return body;
  return [lead, ...body];
}

/** Levels above the chosen block within which the other chunks of a split body are sought. */
const CHUNK_SEARCH_LEVELS = 4;
/** A chunk is prose: some text and few links. */
const CHUNK_MIN_TEXT = 100;
const CHUNK_MAX_LINK_DENSITY = 0.3;

/**
 * Pages that split the body into chunks between ad rails repeat the scored block, class and all, in
 * sibling wrappers ("body__inner-container" once per chunk): the other chunks found within a few levels
 * of the chosen container join it, in document order.
 */
function withSplitChunks(kept: Element[], top: Element, block: Element, allStats: Map<Element, Stats>): Element[] {
  // The chunk's own block or the wrapper the choice climbed to: either may be what repeats.
  const signatures = new Set([top, block].filter((element) => element.attribs['class']?.trim()).map(signature));
  if (signatures.size === 0) return kept;
  let scope: Element = top;
  for (let level = 0; level < CHUNK_SEARCH_LEVELS && scope.parent && isElement(scope.parent) && scope.parent.name !== 'body'; level += 1) scope = scope.parent;
  if (scope === top) return kept;
  const keptSet = new Set(kept);
  const chunks = collectInOrder(scope, (element) => {
    if (keptSet.has(element)) return 'take';
    if (!signatures.has(signature(element))) return 'descend';
    // The next story of an endless-scroll page repeats the body's class too, in its own <article>.
    if (enclosingArticle(element) !== enclosingArticle(top)) return 'skip';
    const stats = allStats.get(element);
    return stats && stats.text >= CHUNK_MIN_TEXT && linkDensity(stats) < CHUNK_MAX_LINK_DENSITY ? 'take' : 'skip';
  });
  // Kept blocks outside the scope (siblings of a climbed top) stay where gatherWithSiblings put them.
  const found = new Set(chunks);
  return chunks.length > kept.filter((element) => found.has(element)).length ? [...kept.filter((element) => !found.has(element)), ...chunks] : kept;
}

function headlineKey(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Endless-scroll pages put the next story in a second <article> below the first, often longer: when
 * the best candidate sits in an article other than the one headed by the page's title, the titled
 * article's own best candidate is taken, if it holds a body's worth of text.
 */
function titledArticleTop(top: (Scored & { block: Element }) | null, candidates: Map<Element, Scored>, allStats: Map<Element, Stats>, title: string | null): (Scored & { block: Element }) | null {
  if (!top || !title) return top;
  const own = enclosingArticle(top.element);
  const wanted = headlineKey(title);
  if (!own || wanted.length < 10) return top;
  let titled: Element | null = null;
  for (const element of allStats.keys()) {
    if (element.name !== 'h1' || headlineKey(textOf(element)) !== wanted) continue;
    titled = enclosingArticle(element);
    break;
  }
  if (!titled || titled === own || isAncestor(titled, own) || isAncestor(own, titled)) return top;
  const inside = new Map([...candidates].filter(([element]) => element === titled || isAncestor(titled as Element, element)));
  const alternative = pickTop(inside);
  if (!alternative || (allStats.get(alternative.element)?.text ?? 0) < MIN_BODY_CHARS) return top;
  return alternative;
}

function enclosingArticle(element: Element): Element | null {
  for (let current: Element | null = element; current; current = current.parent && isElement(current.parent) ? current.parent : null) {
    if (current.name === 'article') return current;
  }
  return null;
}

/** Tag and class, with numbered chunk classes ("story-body-1", "story-body-2") read as one. */
function signature(element: Element): string {
  return `${element.name}.${element.attribs['class']?.trim().replace(/(\D)\d+(?=\s|$)/g, '$1') ?? ''}`;
}

/** Text length under which a generic pass retries without its riskier removals. */
const MIN_BODY_CHARS = 250;

export function extractBody(load: () => CheerioAPI, firstPass: CheerioAPI, options: BodyOptions): { $: CheerioAPI; nodes: Element[] } | null {
  const { rules, title, description } = options;
  if (rules && rules.body.length > 0) {
    const nodes = bodyFromRules(firstPass, rules, title);
    if (nodes) return { $: firstPass, nodes };
  }
  let best: { $: CheerioAPI; nodes: Element[]; length: number } | null = null;
  for (const strict of [true, false]) {
    const $ = strict ? firstPass : load();
    stripByRules($, rules);
    const nodes = generic($, title, description, strict);
    if (!nodes) continue;
    const length = nodes.reduce((sum, node) => sum + normalizeSpace(textOf(node)).length, 0);
    if (!best || length > best.length) best = { $, nodes, length };
    if (length >= MIN_BODY_CHARS) break;
  }
  return best && best.length > 0 ? { $: best.$, nodes: best.nodes } : null;
}
