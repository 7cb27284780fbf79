/**
 * Story clustering in SQLite: each new article looks up its candidate keys (specific entities, proper names,
 * MinHash bands) in `story_keys` within the time window, compares itself with those candidates only and
 * joins the best story or starts its own. Deterministic: same articles in the same order, same stories.
 *
 * Stories stay about one event:
 * - an article joins a story only when it also matches the story's lead (or is a near-copy of a member), so
 *   a story cannot grow by chaining weak links (A like B, B like C, ... Z unlike A);
 * - a story holds at most `maxArticles` articles; a full story takes no more, the next article starts one.
 * - when an article strongly matches (near-identical text, or a specific entity with shared names or most
 *   of the headline) two stories and both leads, those were one event reported twice before anything tied
 *   them: the older story (lower id) absorbs the younger, its `updated_at` moves (its feed entry is re-emitted
 *   once), and the younger story's id is gone (`story(id)` returns null). Only when the merged story stays
 *   within `maxArticles`.
 *
 * Cost per article is bounded whatever the archive size: per key, at most `candidatesPerKey` newest entries
 * inside the window (a primary key range scan); then the traits (a small BLOB) and story of at most
 * `maxCandidates` candidates, and the lead of each matching story, each by primary key.
 */
import { SecwireError } from '../errors.js';
import { candidateKeys, compareForStory, decodeTraits, encodeTraits, storyTraits, withinWindow, type StoryInput, type StoryMatch, type StoryOptions, type StoryTraits } from '../similarity/index.js';
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
  /** Articles a story may hold; a full story takes no more (the next article on the event starts a new one). */
  maxArticles: number;
}

export interface Placement {
  storyId: number;
  duplicateOf: number | null;
  joined: boolean;
}

interface StoryRow {
  id: number;
  title: string;
  lead_article_id: number;
  first_date: string;
  last_date: string;
  updated_at: string;
}

/** One story the new article could join: its best-matching member, and how the article compares with its lead. */
interface StoryChoice {
  story: number;
  member: number;
  memberCopyOf: number | null;
  match: StoryMatch;
  lead: number;
  leadMatch: StoryMatch | null;
  size: number;
}

interface Decision {
  join: StoryChoice | null;
  /** Younger stories the article bridges into `join.story`. */
  absorb: StoryChoice[];
}

const SECOND = 1000;

export function createStoryIndex(db: Db, options: StoryIndexOptions) {
  const windowMs = options.windowDays * 86_400_000;
  const statements = {
    // The newest `candidatesPerKey` entries of one key in the window: a primary key range scan, whatever the
    // archive size. One statement per key beats one json_each statement for all keys, and a literal LIMIT
    // runs 3x faster than a bound one (an integer from the validated config).
    keyEntries: db
      .prepare(`SELECT article_id FROM story_keys WHERE key = ? AND date BETWEEN ? AND ? ORDER BY date DESC, article_id DESC LIMIT ${Math.max(1, Math.trunc(options.candidatesPerKey))}`)
      .pluck(),
    // Traits and story from story_members alone: the articles row (body and HTML in overflow pages) is not read.
    member: db.prepare('SELECT story_id, copy_of, traits FROM story_members WHERE article_id = ?').raw(),
    storyHead: db.prepare('SELECT lead_article_id, article_count FROM stories WHERE id = ?').raw(),
    traitsOf: db.prepare('SELECT traits FROM story_members WHERE article_id = ?').pluck(),
    putMember: db.prepare(
      `INSERT INTO story_members (article_id, story_id, copy_of, traits) VALUES (?, ?, ?, ?)
       ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, copy_of = excluded.copy_of, traits = excluded.traits`,
    ),
    putTraits: db.prepare('UPDATE story_members SET traits = ? WHERE article_id = ?'),
    deleteKeys: db.prepare('DELETE FROM story_keys WHERE article_id = ?'),
    // One row per run: an INSERT ... SELECT FROM json_each of all the keys cost 1.7x as much (0.09 vs 0.055 ms for
    // 12 keys), it needs a statement journal for its many rows.
    insertKey: db.prepare('INSERT OR IGNORE INTO story_keys (key, date, article_id) VALUES (?, ?, ?)'),
    insertStory: db.prepare('INSERT INTO stories (title, lead_article_id, first_date, last_date, updated_at) VALUES (?, ?, ?, ?, ?)'),
    story: db.prepare('SELECT * FROM stories WHERE id = ?'),
    joinStory: db.prepare(
      `UPDATE stories SET first_date = min(first_date, @date), last_date = max(last_date, @date), updated_at = @now,
         article_count = article_count + 1,
         lead_article_id = CASE WHEN @date < first_date AND @copy = 0 THEN @article ELSE lead_article_id END,
         title = CASE WHEN @date < first_date AND @copy = 0 THEN @title ELSE title END
       WHERE id = @id`,
    ),
    absorbStory: db.prepare(
      `UPDATE stories SET first_date = min(first_date, @first), last_date = max(last_date, @last), updated_at = @now,
         article_count = article_count + @count,
         lead_article_id = CASE WHEN @takeLead = 1 THEN @lead ELSE lead_article_id END,
         title = CASE WHEN @takeLead = 1 THEN @title ELSE title END
       WHERE id = @id`,
    ),
    moveMembers: db.prepare('UPDATE story_members SET story_id = @to WHERE article_id IN (SELECT id FROM articles WHERE story_id = @from)'),
    moveArticles: db.prepare('UPDATE articles SET story_id = @to WHERE story_id = @from'),
    deleteStory: db.prepare('DELETE FROM stories WHERE id = ?'),
    touchStory: db.prepare('UPDATE stories SET updated_at = @now, title = CASE WHEN lead_article_id = @article THEN @title ELSE title END WHERE id = @id'),
    setArticleStory: db.prepare('UPDATE articles SET story_id = ?, duplicate_of = ? WHERE id = ?'),
    storyOfArticle: db.prepare('SELECT story_id FROM articles WHERE id = ?').pluck(),
    members: db.prepare('SELECT id, source_id, url, title, published, duplicate_of FROM articles WHERE story_id = ? ORDER BY sort_date, id'),
    tags: db.prepare("SELECT DISTINCT t.slug FROM tags t JOIN articles a ON a.id = t.article_id WHERE a.story_id = ? AND t.type != 'source' ORDER BY t.type, t.slug").pluck(),
  };

  /** Writes the article's index keys; `replace` drops the keys it had (a revision), a new article has none. */
  const index = (articleId: number, traits: StoryTraits, replace: boolean): void => {
    if (replace) statements.deleteKeys.run(articleId);
    const date = Math.floor(traits.date / SECOND);
    for (const key of candidateKeys(traits, options)) statements.insertKey.run(key, date, articleId);
  };

  /** Candidate article ids, those sharing the most keys with the article first (ties: lower id), at most `maxCandidates`. */
  const candidateIds = (articleId: number, traits: StoryTraits): number[] => {
    const from = Math.floor((traits.date - windowMs) / SECOND);
    const to = Math.ceil((traits.date + windowMs) / SECOND);
    const hits = new Map<number, number>();
    for (const key of candidateKeys(traits, options)) {
      for (const id of statements.keyEntries.all(key, from, to) as number[]) {
        if (id !== articleId) hits.set(id, (hits.get(id) ?? 0) + 1);
      }
    }
    return [...hits]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, options.maxCandidates)
      .map(([id]) => id);
  };

  /**
   * Which story the article joins (null: it starts one) and which younger stories it bridges into that one.
   * Highest member score wins; among equal scores the oldest story.
   */
  const decide = (articleId: number, traits: StoryTraits): Decision => {
    const known = new Map<number, StoryTraits>();
    const byStory = new Map<number, StoryChoice>();
    for (const id of candidateIds(articleId, traits)) {
      const row = statements.member.get(id) as [number, number | null, Uint8Array] | undefined;
      if (!row) continue;
      const [story, copyOf, bytes] = row;
      const candidate = decodeTraits(bytes);
      known.set(id, candidate);
      const match = compareForStory(traits, candidate, options);
      if (!match) continue;
      const choice = byStory.get(story);
      if (!choice || match.score > choice.match.score || (match.score === choice.match.score && id < choice.member)) {
        byStory.set(story, { story, member: id, memberCopyOf: copyOf, match, lead: choice?.lead ?? 0, leadMatch: null, size: choice?.size ?? 0 });
      }
    }
    if (byStory.size === 0) return { join: null, absorb: [] };
    for (const choice of byStory.values()) {
      const head = statements.storyHead.get(choice.story) as [number, number];
      [choice.lead, choice.size] = head;
      if (!known.has(choice.lead)) {
        const bytes = statements.traitsOf.get(choice.lead) as Uint8Array | undefined;
        if (bytes) known.set(choice.lead, decodeTraits(bytes));
      }
    }
    const eligible: StoryChoice[] = [];
    for (const choice of byStory.values()) {
      const lead = known.get(choice.lead);
      choice.leadMatch = choice.member === choice.lead ? choice.match : lead ? compareForStory(traits, lead, options) : null;
      // A lead pruned by retention leaves no reference to hold on to: the member match stands.
      const onTopic = choice.leadMatch !== null || choice.match.reason === 'same-text' || lead === undefined;
      if (onTopic && choice.size < options.maxArticles) eligible.push(choice);
    }
    eligible.sort((a, b) => b.match.score - a.match.score || a.story - b.story);
    const best = eligible[0];
    if (!best) return { join: null, absorb: [] };
    const bridges = (choice: StoryChoice): boolean => choice.match.strong && choice.leadMatch !== null && choice.leadMatch.strong;
    if (!bridges(best)) return { join: best, absorb: [] };
    const group = [best, ...eligible.filter((c) => c !== best && bridges(c))].sort((a, b) => a.story - b.story);
    const survivor = group[0]!;
    const survivorLead = known.get(survivor.lead);
    const absorb: StoryChoice[] = [];
    let size = survivor.size;
    for (const choice of group.slice(1)) {
      const lead = known.get(choice.lead);
      // Both leads must fall in one window, or the merged story would span more than one; and it must fit.
      if (survivorLead && lead && !withinWindow(survivorLead.date, lead.date, options)) continue;
      if (size + choice.size + 1 > options.maxArticles) continue;
      size += choice.size;
      absorb.push(choice);
    }
    if (absorb.length === 0 || (best !== survivor && !absorb.includes(best))) return { join: best, absorb: [] };
    return { join: { ...survivor, member: best.member, memberCopyOf: best.memberCopyOf, match: best.match }, absorb };
  };

  const decideInRead = db.transaction(decide);

  /** Moves every member of `from` into `into` and deletes `from`; the earlier lead leads the merged story. */
  const absorbStory = (into: number, from: number, now: string): void => {
    const survivor = statements.story.get(into) as StoryRow & { article_count: number };
    const absorbed = statements.story.get(from) as (StoryRow & { article_count: number }) | undefined;
    if (!absorbed) return;
    statements.moveMembers.run({ to: into, from });
    statements.moveArticles.run({ to: into, from });
    const takeLead = absorbed.first_date < survivor.first_date ? 1 : 0;
    statements.absorbStory.run({ id: into, first: absorbed.first_date, last: absorbed.last_date, now, count: absorbed.article_count, takeLead, lead: absorbed.lead_article_id, title: absorbed.title });
    statements.deleteStory.run(from);
  };

  return {
    /**
     * The story an article with these traits would join (its best candidate), or null: it would start one.
     * Read-only; `place` does the same and writes.
     */
    findStory(traits: StoryTraits, articleId = 0): { storyId: number; duplicateOf: number | null } | null {
      // One read transaction for all the lookups: outside one, each statement would open its own.
      const { join } = decideInRead.deferred(articleId, traits);
      return join ? { storyId: join.story, duplicateOf: join.match.duplicate ? (join.memberCopyOf ?? join.member) : null } : null;
    },
    /** Places a newly stored article in a story (joining the best candidate's, or a new one). */
    place(articleId: number, title: string, input: StoryInput, now: string): Placement {
      const traits = storyTraits(input, options);
      const { join, absorb } = decide(articleId, traits);
      const date = new Date(input.date).toISOString();
      let placement: Placement;
      if (join) {
        for (const choice of absorb) absorbStory(join.story, choice.story, now);
        const duplicateOf = join.match.duplicate ? (join.memberCopyOf ?? join.member) : null;
        statements.joinStory.run({ id: join.story, date, now, article: articleId, title, copy: duplicateOf === null ? 0 : 1 });
        placement = { storyId: join.story, duplicateOf, joined: true };
      } else {
        const info = statements.insertStory.run(title, articleId, date, date, now);
        placement = { storyId: Number(info.lastInsertRowid), duplicateOf: null, joined: false };
      }
      statements.setArticleStory.run(placement.storyId, placement.duplicateOf, articleId);
      statements.putMember.run(articleId, placement.storyId, placement.duplicateOf, encodeTraits(traits));
      index(articleId, traits, false);
      return placement;
    },
    /** Indexes an article that already has a story (stored before this index layout existed), without moving it. */
    reindex(articleId: number, storyId: number, copyOf: number | null, input: StoryInput): void {
      const traits = storyTraits(input, options);
      statements.putMember.run(articleId, storyId, copyOf, encodeTraits(traits));
      index(articleId, traits, true);
    },
    /** An article's text changed: re-index it; a material change re-dates its story (feeds re-emit it). */
    revise(articleId: number, title: string, input: StoryInput, now: string, material: boolean): void {
      const traits = storyTraits(input, options);
      statements.putTraits.run(encodeTraits(traits), articleId);
      index(articleId, traits, true);
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
