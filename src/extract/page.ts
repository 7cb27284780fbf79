import type { CheerioAPI } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { elementsUnder, isElement } from './dom.js';

/**
 * One walk over the parsed page, indexing the elements metadata is read from. Each CSS query is a
 * walk over the whole DOM; a dozen of them cost more than the rest of the extraction.
 */
export interface PageIndex {
  $: CheerioAPI;
  /** Every element in document order. */
  elements: Element[];
  byTag: Map<string, Element[]>;
  /** Elements with an itemprop attribute (microdata). */
  withItemprop: Element[];
}

export function indexPage($: CheerioAPI): PageIndex {
  const root = $.root()[0];
  const elements = root ? elementsUnder(root) : [];
  const byTag = new Map<string, Element[]>();
  const withItemprop: Element[] = [];
  for (const element of elements) {
    const list = byTag.get(element.name);
    if (list) list.push(element);
    else byTag.set(element.name, [element]);
    if (element.attribs['itemprop'] !== undefined) withItemprop.push(element);
  }
  return { $, elements, byTag, withItemprop };
}

export function tagged(page: PageIndex, name: string): Element[] {
  return page.byTag.get(name) ?? [];
}

export function hasAncestor(element: Element, names: ReadonlySet<string>): boolean {
  for (let current = element.parent; current && isElement(current); current = current.parent) {
    if (names.has(current.name)) return true;
  }
  return false;
}

/** The element's attribute value as a set of lower-case tokens ("rel", "class", "itemprop"). */
export function tokens(element: Element, attribute: string): string[] {
  return (element.attribs[attribute] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}
