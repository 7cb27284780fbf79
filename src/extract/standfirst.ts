import type { AnyNode, Element } from 'domhandler';
import { hintString, isElement, normalizeSpace, textOf } from './dom.js';

/**
 * The standfirst (dek, lead, summary) is the article's opening words, but pages print it in the header
 * above the body's container, where content scoring never looks. It is taken back when it sits shortly
 * before the chosen body and either repeats the page's description or is marked as a lead by its class.
 */

/** Levels above the body's first block within which the standfirst is sought. */
const STANDFIRST_SEARCH_LEVELS = 4;
const STANDFIRST_MIN_CHARS = 60;
const STANDFIRST_MAX_CHARS = 800;
/** A description cut short by the page ("... the first words…") still names the standfirst it begins. */
const DESCRIPTION_MIN_PREFIX_CHARS = 60;
/** Characters before the description inside a lead that opens with a place or agency dateline. */
const DATELINE_PREFIX_MAX_CHARS = 30;
const STANDFIRST_TAGS = new Set(['p', 'div', 'h2', 'h3', 'span', 'section']);
const STANDFIRST_TOKEN = /(?:^|[\s_-])(?:lead|perex|ingress|ingres|entradilla|sommario|vorspann|leadin|lede|intro|introduction|standfirst|dek|deck|summary|teaser-?text|subtitle|sub-?headline|subhead|excerpt|abstract|sapo|chapo|chapeau|description|article-?description|kicker-?text)(?:[\s_-]|$)/;
/** Captions and asides sit above bodies too, and are no lead. */
const SKIPPED = new Set(['figure', 'figcaption', 'picture', 'aside', 'blockquote', 'table', 'ul', 'ol', 'a']);
const CAPTION_TOKEN = /(?:^|[\s_-])(?:caption|credit|figure|image|img|photo|media|gallery|video|related|subscribe|subscription|newsletter|promo|paywall|signup|ad|ads|advert|advertisement)(?:[\s_-]|$)/;
const BLOCK_CHILD = new Set(['p', 'div', 'section', 'ul', 'ol', 'table', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote']);

/** Attributes besides class and id that name a box's role: schema.org itemprop, component and test ids. */
const ROLE_ATTRIBUTES = ['itemprop', 'type', 'data-type', 'data-component', 'data-testid', 'data-qa'];

function leadHints(element: Element): string {
  const roles = ROLE_ATTRIBUTES.map((name) => element.attribs[name] ?? '').join(' ').toLowerCase();
  return `${hintString(element)} ${roles}`;
}

function comparable(text: string): string {
  return normalizeSpace(text).toLowerCase().replace(/\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\])$/, '');
}

function linkText(element: Element): number {
  let total = 0;
  const stack: AnyNode[] = [...element.children];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (!isElement(node)) continue;
    if (node.name === 'a') total += normalizeSpace(textOf(node)).length;
    else stack.push(...node.children);
  }
  return total;
}

/** The checks that need no text: the walk reads the text of only the boxes that pass them. */
function mayBeLead(element: Element): boolean {
  return STANDFIRST_TAGS.has(element.name) && !element.children.some((child) => isElement(child) && BLOCK_CHILD.has(child.name) && child.name !== 'p');
}

/** Raw characters past which a box cannot collapse to a standfirst's length (whitespace runs included). */
const STANDFIRST_MAX_RAW_CHARS = STANDFIRST_MAX_CHARS * 4;

/** The box's text with whitespace collapsed, or null once it runs past a standfirst's length: wrappers are not read whole. */
function boundedText(element: Element): string | null {
  const parts: string[] = [];
  let length = 0;
  const stack: AnyNode[] = [...element.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (node.type === 'text') {
      length += node.data.length;
      if (length > STANDFIRST_MAX_RAW_CHARS) return null;
      parts.push(node.data);
    } else if (isElement(node) && node.type === 'tag') {
      for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push(node.children[index] as AnyNode);
    }
  }
  return normalizeSpace(parts.join(''));
}

function isLeadShaped(element: Element, text: string): boolean {
  if (text.length < STANDFIRST_MIN_CHARS || text.length > STANDFIRST_MAX_CHARS) return false;
  return linkText(element) < text.length * 0.3;
}

function matchesDescription(text: string, description: string | null): boolean {
  if (!description) return false;
  const wanted = comparable(description);
  const own = comparable(text);
  if (own === wanted) return true;
  if (wanted.length < DESCRIPTION_MIN_PREFIX_CHARS) return false;
  // The printed lead may open with a dateline the description leaves out ("Essen. Drei uralte Städte...").
  const start = own.indexOf(wanted);
  return start >= 0 && start <= DATELINE_PREFIX_MAX_CHARS;
}

/**
 * The standfirst printed before `first` (the body's first block), or null: the last lead-shaped element
 * before it, within a few levels, whose text is the page description or whose class marks a lead.
 */
export function findStandfirst(first: Element, description: string | null): Element | null {
  let scope: Element = first;
  for (let level = 0; level < STANDFIRST_SEARCH_LEVELS && scope.parent && isElement(scope.parent) && scope.parent.name !== 'body'; level += 1) scope = scope.parent;
  if (scope === first) return null;
  const holdsFirst = new Set<AnyNode>();
  for (let current = first.parent; current && current !== scope; current = current.parent) holdsFirst.add(current);
  let found: Element | null = null;
  // The lead follows the headline: leads of other stories (teasers above the article) come before it.
  let afterHeadline = false;
  const stack: AnyNode[] = [...scope.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (node === first) break;
    if (!isElement(node) || SKIPPED.has(node.name) || CAPTION_TOKEN.test(hintString(node))) continue;
    if (holdsFirst.has(node)) {
      for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push(node.children[index] as AnyNode);
      continue;
    }
    if (node.name === 'h1') {
      afterHeadline = true;
      found = null;
      continue;
    }
    const text = mayBeLead(node) ? boundedText(node) : null;
    if (text !== null && isLeadShaped(node, text) && (matchesDescription(text, description) || (afterHeadline && STANDFIRST_TOKEN.test(leadHints(node))))) {
      found = node;
      continue;
    }
    for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push(node.children[index] as AnyNode);
  }
  return found;
}
