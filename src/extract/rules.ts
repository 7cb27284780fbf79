import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { configDir } from '../paths.js';

/**
 * Per-site extraction rules, kept as data in config/rules/<name>.yaml. Selectors are lists: the
 * first body selector that matches wins; strip selectors are removed from the body before cleaning.
 */
export interface SiteRules {
  name: string;
  /** Host names the rule covers; a host matches itself and its subdomains. */
  hosts: string[];
  body: string[];
  strip: string[];
  title: string[];
  date: string[];
  author: string[];
}

const selectorList = z.array(z.string().min(1)).default([]);

const siteRulesSchema = z.object({
  hosts: z.array(z.string().min(1)).min(1),
  body: selectorList,
  strip: selectorList,
  title: selectorList,
  date: selectorList,
  author: selectorList,
}).strict();

/** The package root: the nearest folder above this file holding package.json (src/ or dist/src/). */
export const DEFAULT_RULES_DIR = join(configDir(), 'rules');

function parseRuleFile(file: string): SiteRules {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line ?? null;
    throw new ConfigError(file, line, '(document)', firstError.message);
  }
  const parsed = siteRulesSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String) ?? [];
    const node = path.length > 0 ? doc.getIn(path, true) : null;
    const offset = isNode(node) ? node.range?.[0] : undefined;
    const line = offset === undefined ? null : lineCounter.linePos(offset).line;
    throw new ConfigError(file, line, path.join('.') || '(document)', issue?.message ?? 'invalid rule');
  }
  const name = basename(file).replace(/\.ya?ml$/, '');
  return { name, ...parsed.data, hosts: parsed.data.hosts.map((host) => host.toLowerCase()) };
}

/** Reads every rule file of `dir`, keyed by rule name (the file name without extension). */
export function loadSiteRules(dir: string = DEFAULT_RULES_DIR): Map<string, SiteRules> {
  const rules = new Map<string, SiteRules>();
  if (!existsSync(dir)) return rules;
  for (const entry of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(entry)) continue;
    const rule = parseRuleFile(join(dir, entry));
    rules.set(rule.name, rule);
  }
  return rules;
}

let shippedRules: Map<string, SiteRules> | null = null;

function shipped(): Map<string, SiteRules> {
  shippedRules ??= loadSiteRules();
  return shippedRules;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** The rule whose host list covers the URL's host (the longest matching host wins), or null. */
export function rulesForUrl(url: string, rules: Map<string, SiteRules> = shipped()): SiteRules | null {
  const host = hostOf(url);
  if (!host) return null;
  let best: SiteRules | null = null;
  let bestLength = 0;
  for (const rule of rules.values()) {
    for (const ruleHost of rule.hosts) {
      const covers = host === ruleHost || host.endsWith(`.${ruleHost}`);
      if (covers && ruleHost.length > bestLength) {
        best = rule;
        bestLength = ruleHost.length;
      }
    }
  }
  return best;
}

/** The rule a source config names (`rules: zdnet`), or null when there is none by that name. */
export function rulesByName(name: string, rules: Map<string, SiteRules> = shipped()): SiteRules | null {
  return rules.get(name) ?? null;
}
