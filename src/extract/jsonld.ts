import { decodeHTML } from 'entities';
import { textOf } from './dom.js';
import { tagged, type PageIndex } from './page.js';
import type { ExtractLimits } from './limits.js';

/** What the page's JSON-LD says about its article (NewsArticle, BlogPosting... also inside @graph). */
export interface JsonLdArticle {
  headline: string | null;
  /** The article's name, kept apart from its headline: pages put a description of the page kind in one of them. */
  name: string | null;
  authors: string[];
  datePublished: string | null;
  dateModified: string | null;
  image: string | null;
  publisher: string | null;
  description: string | null;
  inLanguage: string | null;
  url: string | null;
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

const ARTICLE_TYPE = /article|posting|report|blog/i;
const PAGE_TYPE = /^(?:webpage|itempage|collectionpage)$/i;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function types(node: JsonObject): string[] {
  const type = node['@type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((entry): entry is string => typeof entry === 'string');
  return [];
}

/** JSON-LD is written by templates that often HTML-escape its strings ("&quot;", "&ouml;"): read them as text. */
function stringOf(value: JsonValue | undefined): string | null {
  if (typeof value === 'string') return (value.includes('&') ? decodeHTML(value) : value).trim() || null;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    for (const entry of value) {
      const found = stringOf(entry);
      if (found) return found;
    }
  }
  return null;
}

/** Every object in the parsed blocks (arrays, @graph, nested properties), iteratively. */
function allObjects(roots: JsonValue[]): JsonObject[] {
  const out: JsonObject[] = [];
  const stack: JsonValue[] = [...roots];
  while (stack.length > 0) {
    const value = stack.pop() as JsonValue;
    if (Array.isArray(value)) stack.push(...value);
    else if (isObject(value)) {
      out.push(value);
      for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  return out.reverse();
}

function nameOf(value: JsonValue | undefined, byId: Map<string, JsonObject>): string[] {
  if (typeof value === 'string') return [stringOf(value) ?? ''].filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((entry) => nameOf(entry, byId));
  if (isObject(value)) {
    const name = stringOf(value['name']);
    if (name) return [name];
    const id = value['@id'];
    const target = typeof id === 'string' ? byId.get(id) : undefined;
    if (target && target !== value) return nameOf(target['name'], byId);
  }
  return [];
}

function imageOf(value: JsonValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const entry of value) {
      const found = imageOf(entry);
      if (found) return found;
    }
    return null;
  }
  if (isObject(value)) return stringOf(value['url']) ?? stringOf(value['contentUrl']);
  return null;
}

/** Script text without the wrappers old XHTML habits put around it: "<!-- -->", "<![CDATA[ ]]>", "/*<![CDATA[*/", "//<![CDATA[". */
function unwrapScript(text: string): string {
  return text.trim()
    .replace(/^<!--|-->$/g, '').trim()
    .replace(/^(?:\/\*\s*|\/\/\s*)?<!\[CDATA\[(?:\s*\*\/)?/, '')
    .replace(/(?:\/\*\s*|\/\/\s*)?\]\]>(?:\s*\*\/)?$/, '')
    .trim();
}

function parseBlocks(page: PageIndex, limits: ExtractLimits): JsonValue[] {
  const parsed: JsonValue[] = [];
  const scripts = tagged(page, 'script').filter((script) => (script.attribs['type'] ?? '').trim().toLowerCase() === 'application/ld+json').slice(0, limits.maxJsonLdBlocks);
  for (const script of scripts) {
    const raw = unwrapScript(textOf(script));
    if (!raw || raw.length > limits.maxJsonLdChars) continue;
    try {
      parsed.push(JSON.parse(raw) as JsonValue);
    } catch {
      // Broken JSON-LD is common (trailing commas, raw newlines): the meta tags still speak.
      try {
        parsed.push(JSON.parse(raw.replace(/[\n\r\t]+/g, ' ').replace(/,\s*([}\]])/g, '$1')) as JsonValue);
      } catch {
        continue;
      }
    }
  }
  return parsed;
}

export function readJsonLd(page: PageIndex, limits: ExtractLimits): JsonLdArticle | null {
  const objects = allObjects(parseBlocks(page, limits));
  if (objects.length === 0) return null;
  const byId = new Map<string, JsonObject>();
  for (const object of objects) {
    const id = object['@id'];
    if (typeof id === 'string' && !byId.has(id)) byId.set(id, object);
  }
  const article = objects.find((object) => types(object).some((type) => ARTICLE_TYPE.test(type) && !/^(?:listitem|creativeworkseries)$/i.test(type)) && (object['headline'] !== undefined || object['datePublished'] !== undefined))
    ?? objects.find((object) => types(object).some((type) => PAGE_TYPE.test(type)) && object['datePublished'] !== undefined);
  const website = objects.find((object) => types(object).some((type) => /^(?:website|organization|newsmediaorganization)$/i.test(type)));
  if (!article) {
    const siteName = website ? stringOf(website['name']) : null;
    return siteName ? { headline: null, name: null, authors: [], datePublished: null, dateModified: null, image: null, publisher: siteName, description: null, inLanguage: null, url: null } : null;
  }
  const publisher = nameOf(article['publisher'], byId)[0] ?? (website ? stringOf(website['name']) : null);
  return {
    headline: stringOf(article['headline']),
    name: stringOf(article['name']),
    authors: nameOf(article['author'], byId).concat(nameOf(article['creator'], byId)),
    datePublished: stringOf(article['datePublished']) ?? stringOf(article['dateCreated']),
    dateModified: stringOf(article['dateModified']),
    image: imageOf(article['image']) ?? imageOf(article['thumbnailUrl']),
    publisher,
    description: stringOf(article['description']),
    inLanguage: stringOf(article['inLanguage']),
    url: stringOf(article['url']) ?? stringOf(article['mainEntityOfPage']),
  };
}
