/**
 * Schema migrations, applied in order at open time, each in its own transaction.
 * Never edit a migration that has shipped: add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'sources, articles, sightings, tags',
    sql: `
CREATE TABLE sources (
  id                 TEXT PRIMARY KEY,
  name               TEXT NOT NULL,
  url                TEXT NOT NULL,
  etag               TEXT,
  last_modified      TEXT,
  last_fetch_at      TEXT,
  last_success_at    TEXT,
  last_status        INTEGER,
  error_kind         TEXT,
  error_message      TEXT,
  consecutive_errors INTEGER NOT NULL DEFAULT 0,
  next_fetch_at      TEXT,
  next_fetch_reason  TEXT,
  last_new           INTEGER NOT NULL DEFAULT 0,
  last_updated       INTEGER NOT NULL DEFAULT 0,
  last_duplicates    INTEGER NOT NULL DEFAULT 0,
  last_duration_ms   INTEGER,
  ttl_minutes        INTEGER,
  feed_title         TEXT,
  feed_link          TEXT,
  articles_extracted INTEGER NOT NULL DEFAULT 0,
  articles_failed    INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE articles (
  id               INTEGER PRIMARY KEY,
  source_id        TEXT NOT NULL,
  url              TEXT NOT NULL,
  canonical_url    TEXT NOT NULL UNIQUE,
  guid             TEXT,
  title            TEXT NOT NULL,
  authors          TEXT NOT NULL DEFAULT '[]',
  published        TEXT,
  published_source TEXT,
  feed_published   TEXT,
  updated          TEXT,
  first_seen       TEXT NOT NULL,
  sort_date        TEXT NOT NULL,
  lang             TEXT,
  image            TEXT,
  summary          TEXT,
  text             TEXT,
  html             TEXT,
  feed_hash        TEXT NOT NULL,
  content_hash     TEXT NOT NULL,
  extract_error    TEXT,
  story_id         INTEGER
) STRICT;
CREATE INDEX articles_sort ON articles (sort_date DESC, id DESC);
CREATE INDEX articles_source_sort ON articles (source_id, sort_date DESC, id DESC);

-- Every (source, guid or url) under which an article was seen: the same article from two feeds is one row in
-- articles and two sightings here.
CREATE TABLE sightings (
  source_id     TEXT NOT NULL,
  item_key      TEXT NOT NULL,
  article_id    INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  url           TEXT NOT NULL,
  first_seen    TEXT NOT NULL,
  PRIMARY KEY (source_id, item_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX sightings_article ON sightings (article_id);

CREATE TABLE tags (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  slug       TEXT NOT NULL,
  type       TEXT NOT NULL,
  value      TEXT NOT NULL,
  name       TEXT NOT NULL,
  attack_id  TEXT,
  mentions   TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (article_id, slug)
) STRICT, WITHOUT ROWID;
CREATE INDEX tags_slug ON tags (slug, article_id);

CREATE TABLE iocs (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  type       TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (article_id, type, value)
) STRICT, WITHOUT ROWID;

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`,
  },
  {
    version: 2,
    name: 'full-text search over title, body and tag names',
    // External-content FTS5: the text lives once, in articles; triggers keep the index in the same transaction.
    sql: `
ALTER TABLE articles ADD COLUMN tag_text TEXT NOT NULL DEFAULT '';
UPDATE articles SET tag_text = COALESCE((SELECT group_concat(name || ' ' || value, ' ') FROM tags WHERE tags.article_id = articles.id), '');
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, body, tags,
  content = 'articles_fts_source', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIEW articles_fts_source AS SELECT id, title, COALESCE(text, summary, '') AS body, tag_text AS tags FROM articles;
INSERT INTO articles_fts (rowid, title, body, tags) SELECT id, title, body, tags FROM articles_fts_source;
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, body, tags) VALUES (new.id, new.title, COALESCE(new.text, new.summary, ''), new.tag_text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, body, tags) VALUES ('delete', old.id, old.title, COALESCE(old.text, old.summary, ''), old.tag_text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text, summary, tag_text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, body, tags) VALUES ('delete', old.id, old.title, COALESCE(old.text, old.summary, ''), old.tag_text);
  INSERT INTO articles_fts (rowid, title, body, tags) VALUES (new.id, new.title, COALESCE(new.text, new.summary, ''), new.tag_text);
END;
`,
  },
  {
    version: 3,
    name: 'keep flag for starred articles (retention never prunes them)',
    sql: `
ALTER TABLE articles ADD COLUMN keep INTEGER NOT NULL DEFAULT 0;
CREATE INDEX articles_first_seen ON articles (first_seen);
`,
  },
  {
    version: 4,
    name: 'stories, revisions, near-duplicates and URL aliases',
    sql: `
ALTER TABLE articles ADD COLUMN duplicate_of INTEGER;
CREATE INDEX articles_story ON articles (story_id, sort_date);
CREATE INDEX articles_source_title ON articles (source_id, title);

-- One row per event; articles.story_id points here. updated_at moves when an article joins or the lead changes
-- materially: that is when a feed re-emits the story's entry.
CREATE TABLE stories (
  id              INTEGER PRIMARY KEY,
  title           TEXT NOT NULL,
  lead_article_id INTEGER NOT NULL,
  first_date      TEXT NOT NULL,
  last_date       TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  article_count   INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE INDEX stories_updated ON stories (updated_at DESC, id DESC);

-- The candidate index of clustering: (entity / proper name / MinHash band, date) -> article. A new article
-- looks up its own keys within the time window: no scan.
CREATE TABLE story_keys (
  key        TEXT NOT NULL,
  date       TEXT NOT NULL,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  PRIMARY KEY (key, date, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_keys_article ON story_keys (article_id);

CREATE TABLE article_traits (
  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  traits     TEXT NOT NULL
) STRICT;

-- Earlier versions of an article: each row is what the article said until \`at\`.
CREATE TABLE revisions (
  article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  revision     INTEGER NOT NULL,
  at           TEXT NOT NULL,
  title        TEXT NOT NULL,
  text         TEXT,
  content_hash TEXT NOT NULL,
  change       REAL NOT NULL,
  material     INTEGER NOT NULL,
  PRIMARY KEY (article_id, revision)
) STRICT, WITHOUT ROWID;

-- Other canonical URLs of one article (the page's rel=canonical, AMP/print variants seen before).
CREATE TABLE article_urls (
  url        TEXT PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX article_urls_article ON article_urls (article_id);
`,
  },
  {
    version: 5,
    name: 'prefix indexes for full-text search, a narrow index for finding hits',
    // prefix='2 3 4 5': a `word*` query of up to five characters reads one precomputed doclist instead of merging
    // the doclists of every word it covers (seconds for a short prefix on a large archive). The index is rebuilt
    // from the articles; triggers keep writing to it by name.
    // articles_hit_keys: filtering and sorting hits by date and source reads this index, not the wide rows.
    sql: `
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, body, tags,
  content = 'articles_fts_source', content_rowid = 'id',
  prefix = '2 3 4 5',
  tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
INSERT INTO articles_fts (articles_fts) VALUES ('optimize');
CREATE INDEX articles_hit_keys ON articles (id, sort_date, source_id);
`,
  },
  {
    version: 6,
    name: 'story index with integer keys and binary traits',
    // The MinHash and key layouts changed, so the old index cannot be converted: the store re-indexes every
    // article that has a story on its next open (meta stories.reindex_after), keeping the stories as they are.
    sql: `
DROP TABLE story_keys;
DROP TABLE article_traits;

-- (kind << 32 | 32-bit hash of an entity, proper name or MinHash band, publication second) -> article.
CREATE TABLE story_keys (
  key        INTEGER NOT NULL,
  date       INTEGER NOT NULL,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  PRIMARY KEY (key, date, article_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_keys_article ON story_keys (article_id);

-- What clustering reads of a candidate, apart from the wide articles row: its story, the article it copies,
-- and its traits (similarity/story.ts encodeTraits).
CREATE TABLE story_members (
  article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
  story_id   INTEGER NOT NULL,
  copy_of    INTEGER,
  traits     BLOB NOT NULL
) STRICT;

INSERT INTO meta (key, value) VALUES ('stories.reindex_after', '0') ON CONFLICT(key) DO UPDATE SET value = '0';
`,
  },
  {
    version: 7,
    name: 'full-text index merges segments 8 at a time',
    // FTS5 merges a level once it holds `automerge` segments (default 4). Every ingest transaction adds one, so
    // merging 8 at a time rewrites each posting fewer times: 3 KB articles cost ~17% less to index (785 vs 950 us
    // each with the prefix indexes, 10,000 articles in 500 transactions), and queries were not measurably slower.
    sql: `INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 8);`,
  },
  {
    version: 8,
    name: 'an ingest indexes its new articles once, at the end of its transaction',
    // FTS5 writes its pending terms to disk as a new segment whenever a statement opens a statement journal, and
    // an INSERT whose trigger writes to FTS always opens one: every article became its own segment, merged again
    // and again. While the meta key 'fts.deferred' exists (only ever inside an ingest transaction, so no other
    // connection sees it) the trigger leaves the row to the store, which indexes all its new rows in one statement
    // before it commits (3 KB articles: 1.2 -> 0.8 ms CPU each). Every other writer keeps the trigger as it was.
    sql: `
DROP TRIGGER articles_fts_insert;
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'fts.deferred') BEGIN
  INSERT INTO articles_fts (rowid, title, body, tags) VALUES (new.id, new.title, COALESCE(new.text, new.summary, ''), new.tag_text);
END;
`,
  },
];
