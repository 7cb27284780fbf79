import type { AnyNode, Element, ParentNode } from 'domhandler';

// domhandler's node types come through cheerio (its parser's tree); only its types are imported here.

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function childElements(node: ParentNode): Element[] {
  return node.children.filter(isElement);
}

/**
 * Every element under `root` in document order. Iterative: pages nest deep enough to overflow
 * the call stack of a recursive walk.
 */
export function elementsUnder(root: ParentNode): Element[] {
  return elementsWithin(root.children);
}

/** `nodes` that are elements and every element under them, in document order. */
export function elementsWithin(nodes: readonly AnyNode[]): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    if (!isElement(node)) continue;
    out.push(node);
    for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push(node.children[index] as AnyNode);
  }
  return out;
}

/** The text nodes under `node` joined by `separator` (iterative, see elementsUnder). */
export function textOf(node: AnyNode, separator = ''): string {
  if (node.type === 'text') return node.data;
  if (!('children' in node)) return '';
  const parts: string[] = [];
  const stack: AnyNode[] = [...node.children].reverse();
  while (stack.length > 0) {
    const current = stack.pop() as AnyNode;
    if (current.type === 'text') parts.push(current.data);
    else if (isElement(current) && current.type === 'tag') {
      for (let index = current.children.length - 1; index >= 0; index -= 1) stack.push(current.children[index] as AnyNode);
    }
  }
  return parts.join(separator);
}

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "class id" of an element, lower-cased: the string the class/id hints are matched against. */
export function hintString(element: Element): string {
  const className = element.attribs['class'] ?? '';
  const id = element.attribs['id'] ?? '';
  return `${className} ${id}`.toLowerCase();
}

export function removeNode(node: AnyNode): void {
  const parent = node.parent;
  if (!parent) return;
  const index = parent.children.indexOf(node as never);
  if (index >= 0) parent.children.splice(index, 1);
  if (node.prev) node.prev.next = node.next;
  if (node.next) node.next.prev = node.prev;
  node.parent = null;
  node.prev = null;
  node.next = null;
}
