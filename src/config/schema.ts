import cron from 'node-cron';
import { z } from 'zod';

const cronExpression = z.string().refine((value) => cron.validate(value), { message: 'is not a valid cron expression (5 or 6 fields, e.g. "*/15 * * * *")' });

const hostPort = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:/]+):\d{1,5}$/, 'must be "host:port", e.g. "127.0.0.1:8081"');

const tagSlug = z.string().regex(/^[a-z]+:[^\s]+$/i, 'must be a tag slug "type:value", e.g. "vendor:fortinet"');

const selector = z.string().min(1);
const optionalSelector = selector.nullable().default(null);

const htmlListingSchema = z.strictObject({
  item: selector,
  title: selector,
  link: selector,
  date: optionalSelector,
  summary: optionalSelector,
  next: optionalSelector,
  pages: z.number().int().positive().default(1),
});

const jsonMappingSchema = z.strictObject({
  items: z.string(),
  title: selector,
  link: selector,
  date: optionalSelector,
  summary: optionalSelector,
  id: optionalSelector,
  tags: z.array(z.string().min(1)).default([]),
});

const SOURCE_KINDS = ['feed', 'html', 'json'] as const;

export const sourceSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case letters, digits and dashes'),
    name: z.string().min(1),
    url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
    kind: z.enum(SOURCE_KINDS).default('feed'),
    html: htmlListingSchema.optional(),
    json: jsonMappingSchema.optional(),
    split: z.literal('digest').optional(),
    schedule: cronExpression.optional(),
    articles: z.boolean().default(false),
    rules: z.string().nullable().default(null),
    tags: z.array(tagSlug).default([]),
  })
  // The kind picks which mapping key is required; a mapping for another kind is a typo worth reporting.
  .superRefine((source, context) => {
    for (const kind of ['html', 'json'] as const) {
      if (source.kind === kind && !source[kind]) context.addIssue({ code: 'custom', path: [kind], message: `is required when kind is "${kind}"` });
      if (source.kind !== kind && source[kind]) context.addIssue({ code: 'custom', path: [kind], message: `is only allowed when kind is "${kind}"` });
    }
  });

const includeDefault = z.strictObject({ include: z.literal('default') });

export const watchlistSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be kebab-case letters, digits and dashes'),
  match: z.strictObject({
    tags: z.array(tagSlug).optional(),
    query: z.string().min(1).optional(),
  }),
});

export const configSchema = z.strictObject({
  database: z.string().min(1).optional(),
  server: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: z.number().int().min(0).max(65535).optional(),
      baseUrl: z.url().optional(),
    })
    .optional(),
  schedule: cronExpression.optional(),
  fetch: z
    .strictObject({
      userAgent: z.string().min(1).optional(),
      timeoutMs: z.number().int().positive().optional(),
      headersTimeoutMs: z.number().int().positive().optional(),
      maxBytes: z.number().int().positive().optional(),
      maxRedirects: z.number().int().min(0).optional(),
      concurrency: z.number().int().positive().optional(),
      perHostConcurrency: z.number().int().positive().optional(),
      perHostDelayMs: z.number().int().min(0).optional(),
      maxIntervalMinutes: z.number().int().positive().optional(),
      articleConcurrency: z.number().int().positive().optional(),
      workers: z.number().int().min(0).optional(),
      articleSources: z.number().int().positive().optional(),
      allowPrivateHosts: z.array(hostPort).optional(),
      proxy: z.url().nullable().optional(),
    })
    .optional(),
  sources: z.array(z.union([includeDefault, sourceSchema])).optional(),
  watchlists: z.array(watchlistSchema).optional(),
  retention: z.strictObject({ days: z.number().int().positive().optional() }).optional(),
  stories: z
    .strictObject({
      windowDays: z.number().positive().optional(),
      materialChange: z.number().min(0).max(1).optional(),
      sameTextJaccard: z.number().min(0).max(1).optional(),
      duplicateJaccard: z.number().min(0).max(1).optional(),
      candidatesPerKey: z.number().int().positive().optional(),
      maxCandidates: z.number().int().positive().optional(),
      maxArticles: z.number().int().min(2).optional(),
    })
    .optional(),
  search: z
    .strictObject({
      relevanceWindow: z.number().int().positive().optional(),
      walkBudget: z.number().int().positive().optional(),
    })
    .optional(),
  feeds: z
    .strictObject({
      defaultLimit: z.number().int().positive().optional(),
      maxLimit: z.number().int().positive().optional(),
      title: z.string().min(1).optional(),
    })
    .optional(),
  log: z.strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional() }).optional(),
});

export const sourcesFileSchema = z.strictObject({ sources: z.array(sourceSchema) });

export type RawConfig = z.infer<typeof configSchema>;
