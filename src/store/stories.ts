/**
 * Story clustering in SQLite: each new article looks up its candidate keys (specific entities, proper names,
 * MinHash bands) in `story_keys` within the time window, compares itself with those candidates only and
 * joins the best one's story or starts its own. Deterministic: same articles in the same order, same stories.
 *
 * Two stories are never merged afterwards, even when a later article would bridge them: it joins the best
 * scoring one. A merge would renumber stories that feeds, API clients and links already hold, and would make
 * a story's membership depend on articles that arrived after it; a bridge is also the weakest evidence (each
 * side matched a different part of it).
 *
 * Cost per article is bounded whatever the archive size: one statement reads, for all its keys at once, at
 * most `candidatesPerKey` newest entries per key inside the window (primary key range scans), and one
 * statement reads the traits of the `maxCandidates` best candidates.
 */
import { SecwireError } from '../errors.js';
import { candidateKeys, compareForStory, decodeSignature, encodeSignature, storyTraits, type StoryInput, type StoryOptions, type StoryTraits } from '../similarity/index.js';
import { encodeCursor } from './article-query.js';
import type { Db } from './db.js';

export interface StoryArticle {
  id: number;
  source: string;
  url: string;
  title: string;
  published: string | null;
  /** Set when this article is a copy (syndication, repost) of that one. */
  duplicateOf: number | null;
}

/** INTERFACE.md "story", plus the lead article's id and when the story last changed. */
export interface Story {
  id: number;
  title: string;
  first: string;
  last: string;
  updated: string;
  lead: number;
  articles: StoryArticle[];
  tags: string[];
}

export interface StoryQuery {
  limit: number;
  cursor?: string | undefined;
  tags?: string[] | undefined;
  source?: string | undefined;
  since?: string | undefined;
}

export interface StoryIndexOptions extends StoryOptions {
  /** Candidates read per key; bounds the work per article whatever the archive size. */
  candidatesPerKey: number;
  /** Candidates compared in full, those sharing the most keys first. */
  maxCandidates: number;
}

export interface Placement {
  storyId: number;
  duplicateOf: number | null;
  joined: boolean;
}

interface StoredTraits {
  date: number;
  titleWords: string[];
  names: string[];
  entities: string[];
  signature: string | null;
}

interface StoryRow {
  id: number;
  title: string;
  lead_article_id: number;
  first_date: string;
  last_date: string;
  updated_at: string;
}

export function createStoryIndex(db: Db, options: StoryIndexOptions) {
  const windowMs = options.windowDays * 86_400_000;
  const statements = {
    // One call for all of an article's keys, each bounded to its newest `limit` entries in the window: the
    // work per article does not grow with the archive (the primary key serves every lookup, newest first).
    candidates: db
      .prepare(
        `SELECT (SELECT group_concat(article_id) FROM (SELECT article_id FROM story_keys WHERE key = j.value AND date BETWEEN @from AND @to
           ORDER BY date DESC, article_id DESC LIMIT @limit)) FROM json_each(@keys) j`,
      )
      .pluck(),
    // Traits alone: the articles row (with its body and HTML in overflow pages) is read only for the winner.
    candidateTraits: db.prepare('SELECT t.article_id AS id, t.traits FROM json_each(?) j JOIN article_traits t ON t.article_id = j.value'),
    placementOf: db.prepare('SELECT story_id AS story, duplicate_of FROM articles WHERE id = ?'),
    putTraits: db.prepare('INSERT INTO article_traits (article_id, traits) VALUES (?, ?) ON CONFLICT(article_id) DO UPDATE SET traits = excluded.traits'),
    deleteKeys: db.prepare('DELETE FROM story_keys WHERE article_id = ?'),
    insertKeys: db.prepare('INSERT OR IGNORE INTO story_keys (key, date, article_id) SELECT value, ?, ? FROM json_each(?)'),
    insertStory: db.prepare('INSERT INTO stories (title, lead_article_id, first_date, last_date, updated_at) VALUES (?, ?, ?, ?, ?)'),
    story: db.prepare('SELECT * FROM stories WHERE id = ?'),
    joinStory: db.prepare(
      `UPDATE stories SET first_date = min(first_date, @date), last_date = max(last_date, @date), updated_at = @now,
         article_count = article_count + 1,
         lead_article_id = CASE WHEN @date < first_date AND @copy = 0 THEN @article ELSE lead_article_id END,
         title = CASE WHEN @date < first_date AND @copy = 0 THEN @title ELSE title END
       WHERE id = @id`,
    ),
    touchStory: db.prepare('UPDATE stories SET updated_at = @now, title = CASE WHEN lead_article_id = @article THEN @title ELSE title END WHERE id = @id'),
    setArticleStory: db.prepare('UPDATE articles SET story_id = ?, duplicate_of = ? WHERE id = ?'),
    storyOfArticle: db.prepare('SELECT story_id FROM articles WHERE id = ?').pluck(),
    members: db.prepare('SELECT id, source_id, url, title, published, duplicate_of FROM articles WHERE story_id = ? ORDER BY sort_date, id'),
    tags: db.prepare("SELECT DISTINCT t.slug FROM tags t JOIN articles a ON a.id = t.article_id WHERE a.story_id = ? AND t.type != 'source' ORDER BY t.type, t.slug").pluck(),
  };

  const parseTraits = (text: string): StoryTraits => {
    const stored = JSON.parse(text) as StoredTraits;
    return { ...stored, signature: stored.signature ? decodeSignature(stored.signature) : null };
  };

  const index = (articleId: number, traits: StoryTraits): void => {
    const stored: StoredTraits = { ...traits, signature: traits.signature ? encodeSignature(traits.signature) : null };
    statements.putTraits.run(articleId, JSON.stringify(stored));
    statements.deleteKeys.run(articleId);
    const date = new Date(traits.date).toISOString();
    statements.insertKeys.run(date, articleId, JSON.stringify(candidateKeys(traits, options)));
  };

  const bestCandidate = (articleId: number, traits: StoryTraits) => {
    const keys = candidateKeys(traits, options);
    if (keys.length === 0) return null;
    const from = new Date(traits.date - windowMs).toISOString();
    const to = new Date(traits.date + windowMs).toISOString();
    const hits = new Map<number, number>();
    for (const list of statements.candidates.all({ keys: JSON.stringify(keys), from, to, limit: options.candidatesPerKey }) as (string | null)[]) {
      if (!list) continue;
      for (const text of list.split(',')) {
        const id = Number(text);
        if (id !== articleId) hits.set(id, (hits.get(id) ?? 0) + 1);
      }
    }
    if (hits.size === 0) return null;
    const ranked = [...hits].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, options.maxCandidates);
    const rows = statements.candidateTraits.all(JSON.stringify(ranked.map(([id]) => id))) as { id: number; traits: string }[];
    const byId = new Map(rows.map((row) => [row.id, row.traits]));
    const matches: { id: number; score: number; duplicate: boolean }[] = [];
    for (const [id] of ranked) {
      const text = byId.get(id);
      const match = text ? compareForStory(traits, parseTraits(text), options) : null;
      if (match) matches.push({ id, score: match.score, duplicate: match.duplicate });
    }
    // Highest score wins; among equal scores the oldest story, then the first in candidate order.
    matches.sort((a, b) => b.score - a.score);
    let best: { id: number; story: number; duplicateOf: number | null; score: number; duplicate: boolean } | null = null;
    for (const match of matches) {
      if (best && match.score < best.score) break;
      const placed = statements.placementOf.get(match.id) as { story: number | null; duplicate_of: number | null } | undefined;
      if (!placed || placed.story === null) continue;
      if (!best || placed.story < best.story) best = { ...match, story: placed.story, duplicateOf: placed.duplicate_of };
    }
    return best;
  };

  return {
    /**
     * The story an article with these traits would join (its best candidate), or null: it would start one.
     * Read-only; `place` does the same and writes.
     */
    findStory(traits: StoryTraits, articleId = 0): { storyId: number; duplicateOf: number | null } | null {
      const best = bestCandidate(articleId, traits);
      return best ? { storyId: best.story, duplicateOf: best.duplicate ? (best.duplicateOf ?? best.id) : null } : null;
    },
    /** Places a newly stored article in a story (joining the best candidate's, or a new one). */
    place(articleId: number, title: string, input: StoryInput, now: string): Placement {
      const traits = storyTraits(input, options);
      const best = bestCandidate(articleId, traits);
      const date = new Date(input.date).toISOString();
      let placement: Placement;
      if (best) {
        const duplicateOf = best.duplicate ? (best.duplicateOf ?? best.id) : null;
        statements.joinStory.run({ id: best.story, date, now, article: articleId, title, copy: duplicateOf === null ? 0 : 1 });
        placement = { storyId: best.story, duplicateOf, joined: true };
      } else {
        const info = statements.insertStory.run(title, articleId, date, date, now);
        placement = { storyId: Number(info.lastInsertRowid), duplicateOf: null, joined: false };
      }
      statements.setArticleStory.run(placement.storyId, placement.duplicateOf, articleId);
      index(articleId, traits);
      return placement;
    },
    /** An article's text changed: re-index it; a material change re-dates its story (feeds re-emit it). */
    revise(articleId: number, title: string, input: StoryInput, now: string, material: boolean): void {
      index(articleId, storyTraits(input, options));
      const storyId = statements.storyOfArticle.get(articleId) as number | null | undefined;
      if (storyId && material) statements.touchStory.run({ id: storyId, now, article: articleId, title });
    },
    storyIdOf(articleId: number): number | null {
      return (statements.storyOfArticle.get(articleId) as number | null | undefined) ?? null;
    },
    story(id: number): Story | null {
      const row = statements.story.get(id) as StoryRow | undefined;
      return row ? toStory(row) : null;
    },
    stories(query: StoryQuery): { stories: Story[]; nextCursor: string | null } {
      const where: string[] = [];
      const params: Record<string, string | number> = { limit: query.limit + 1 };
      (query.tags ?? []).forEach((slug, i) => {
        where.push(`EXISTS (SELECT 1 FROM articles m JOIN tags t ON t.article_id = m.id WHERE m.story_id = s.id AND t.slug = @tag${i})`);
        params[`tag${i}`] = slug;
      });
      if (query.source) {
        where.push('EXISTS (SELECT 1 FROM articles m WHERE m.story_id = s.id AND m.source_id = @source)');
        params['source'] = query.source;
      }
      if (query.since) {
        where.push('s.last_date >= @since');
        params['since'] = query.since;
      }
      if (query.cursor) {
        const { key, id } = decodeStoryCursor(query.cursor);
        where.push('(s.updated_at < @cursorKey OR (s.updated_at = @cursorKey AND s.id < @cursorId))');
        params['cursorKey'] = key;
        params['cursorId'] = id;
      }
      const rows = db
        .prepare(`SELECT s.* FROM stories s ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.updated_at DESC, s.id DESC LIMIT @limit`)
        .all(params) as StoryRow[];
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { stories: page.map(toStory), nextCursor: rows.length > query.limit && last ? encodeCursor(last.updated_at, last.id) : null };
    },
  };

  function toStory(row: StoryRow): Story {
    const members = (statements.members.all(row.id) as { id: number; source_id: string; url: string; title: string; published: string | null; duplicate_of: number | null }[]).map(
      (m): StoryArticle => ({ id: m.id, source: m.source_id, url: m.url, title: m.title, published: m.published, duplicateOf: m.duplicate_of }),
    );
    // After retention pruned the lead, the earliest remaining original leads.
    const lead = members.find((m) => m.id === row.lead_article_id) ?? members.find((m) => m.duplicateOf === null) ?? members[0];
    return {
      id: row.id,
      title: lead && lead.id !== row.lead_article_id ? lead.title : row.title,
      first: row.first_date,
      last: row.last_date,
      updated: row.updated_at,
      lead: lead?.id ?? row.lead_article_id,
      articles: members,
      tags: statements.tags.all(row.id) as string[],
    };
  }
}

export type StoryIndex = ReturnType<typeof createStoryIndex>;

function decodeStoryCursor(cursor: string): { key: string; id: number } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const cut = text.lastIndexOf('|');
  const id = Number(text.slice(cut + 1));
  if (cut <= 0 || !Number.isInteger(id)) throw new SecwireError('QueryError', `invalid cursor "${cursor}"`);
  return { key: text.slice(0, cut), id };
}
