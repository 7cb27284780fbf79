import type { CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { isElement } from './dom.js';

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
  /** All nodes (text and comments too) and the deepest nesting, for the DOM limits. */
  nodes: number;
  depth: number;
}

export function indexPage($: CheerioAPI): PageIndex {
  const elements: Element[] = [];
  const byTag = new Map<string, Element[]>();
  const withItemprop: Element[] = [];
  let nodes = 0;
  let depth = 0;
  // Iterative pre-order walk that also measures the page against the DOM limits.
  const stack: Array<[AnyNode, number]> = [];
  const root = $.root()[0];
  if (root) for (let index = root.children.length - 1; index >= 0; index -= 1) stack.push([root.children[index] as AnyNode, 1]);
  while (stack.length > 0) {
    const [node, level] = stack.pop() as [AnyNode, number];
    nodes += 1;
    if (level > depth) depth = level;
    if (!isElement(node)) continue;
    elements.push(node);
    const list = byTag.get(node.name);
    if (list) list.push(node);
    else byTag.set(node.name, [node]);
    if (node.attribs['itemprop'] !== undefined) withItemprop.push(node);
    for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push([node.children[index] as AnyNode, level + 1]);
  }
  return { $, elements, byTag, withItemprop, nodes, depth };
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
