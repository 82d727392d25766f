"""The store's schema as forward migrations (SQLite dialect), and how a migration script is split."""

from __future__ import annotations

import sqlite3

# Each entry migrates the schema from version i to i + 1. Never edit a released entry; append.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE outlets (
        name TEXT PRIMARY KEY,
        domain TEXT,
        country TEXT,
        bias TEXT,
        bias_source TEXT,
        owner TEXT,
        ratings TEXT NOT NULL DEFAULT '{}',
        updated_at TEXT
    );
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        rows_read INTEGER DEFAULT 0,
        stored INTEGER DEFAULT 0,
        duplicates INTEGER DEFAULT 0,
        rejected INTEGER DEFAULT 0,
        message TEXT
    );
    CREATE TABLE articles (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        url TEXT,
        canonical_url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        outlet TEXT NOT NULL,
        outlet_domain TEXT,
        published TEXT,
        collected TEXT NOT NULL,
        authors TEXT,
        language TEXT,
        content_hash TEXT NOT NULL UNIQUE,
        extra TEXT NOT NULL DEFAULT '{}',
        import_id INTEGER REFERENCES imports(id)
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_outlet_published ON articles(outlet, published);
    CREATE INDEX articles_import ON articles(import_id);
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rid', tokenize='porter unicode61'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'bulk_fts') BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
    END;
    INSERT INTO meta(key, value) VALUES ('data_version', '0');
    """,
    # 2: embedding cache, topic fits and everything derived from them.
    """
    CREATE TABLE embeddings (
        model TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, content_hash)
    ) WITHOUT ROWID;
    CREATE TABLE fits (
        id INTEGER PRIMARY KEY,
        created TEXT NOT NULL,
        kind TEXT NOT NULL,
        embedding_model TEXT NOT NULL,
        params TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        n_articles INTEGER NOT NULL,
        n_topics INTEGER NOT NULL,
        outlier_share REAL NOT NULL,
        model_path TEXT,
        timings TEXT NOT NULL DEFAULT '{}',
        extra TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE topics (
        fit_id INTEGER NOT NULL REFERENCES fits(id) ON DELETE CASCADE,
        topic INTEGER NOT NULL,
        label TEXT NOT NULL,
        keywords TEXT NOT NULL,
        size INTEGER NOT NULL,
        representative TEXT NOT NULL,
        centroid BLOB,
        x REAL,
        y REAL,
        PRIMARY KEY (fit_id, topic)
    );
    CREATE TABLE article_topics (
        fit_id INTEGER NOT NULL REFERENCES fits(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL,
        topic INTEGER NOT NULL,
        probability REAL,
        x REAL,
        y REAL,
        assigned_by TEXT NOT NULL DEFAULT 'fit',
        PRIMARY KEY (fit_id, article_id)
    );
    CREATE INDEX article_topics_topic ON article_topics(fit_id, topic);
    CREATE TABLE topic_edits (
        topic INTEGER PRIMARY KEY,
        label TEXT,
        hidden INTEGER NOT NULL DEFAULT 0,
        merged_into INTEGER,
        updated TEXT NOT NULL
    );
    CREATE TABLE topic_lineage (
        id INTEGER PRIMARY KEY,
        fit_id INTEGER NOT NULL,
        created TEXT NOT NULL,
        event TEXT NOT NULL,
        topic INTEGER,
        previous TEXT NOT NULL DEFAULT '[]',
        similarity REAL,
        note TEXT
    );
    CREATE TABLE topic_words_over_time (
        fit_id INTEGER NOT NULL REFERENCES fits(id) ON DELETE CASCADE,
        topic INTEGER NOT NULL,
        period TEXT NOT NULL,
        words TEXT NOT NULL,
        frequency INTEGER NOT NULL,
        PRIMARY KEY (fit_id, topic, period)
    );
    INSERT INTO meta(key, value) VALUES ('active_fit', '');
    INSERT INTO meta(key, value) VALUES ('next_topic_id', '0');
    """,
    # 3: per-article tone, summary and tags; stories across outlets.
    """
    CREATE TABLE article_intel (
        article_id TEXT PRIMARY KEY,
        headline_sentiment REAL,
        headline_label TEXT,
        sentiment REAL,
        sentiment_label TEXT,
        summary TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        updated TEXT NOT NULL
    );
    CREATE TABLE stories (
        story_id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        first_published TEXT,
        first_outlet TEXT,
        articles INTEGER NOT NULL,
        outlets INTEGER NOT NULL,
        outlet_list TEXT NOT NULL,
        bias TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE story_members (
        article_id TEXT PRIMARY KEY,
        story_id INTEGER NOT NULL,
        lag_hours REAL,
        first INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX story_members_story ON story_members(story_id);
    """,
    # 4: covering indexes for the app's article frame (a full scan no longer reads article texts).
    """
    CREATE INDEX articles_frame ON articles(outlet, published, id, title);
    CREATE INDEX articles_id_hash ON articles(id, content_hash);
    CREATE INDEX articles_window ON articles(published, id, outlet, content_hash);
    CREATE INDEX article_intel_tone ON article_intel(article_id, sentiment);
    """,
    # 5: web collection: near-duplicate links, MinHash signatures, per-URL state, feeds' validators.
    """
    ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
    CREATE INDEX articles_duplicate ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
    CREATE TABLE article_minhash (article_id TEXT PRIMARY KEY, signature BLOB NOT NULL) WITHOUT ROWID;
    CREATE TABLE collect_runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        heartbeat TEXT,
        sources TEXT NOT NULL DEFAULT '[]',
        summary TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE collect_urls (
        url TEXT PRIMARY KEY,
        requested TEXT NOT NULL,
        source TEXT,
        state TEXT NOT NULL,
        reason TEXT,
        message TEXT,
        article_id TEXT,
        run_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        updated TEXT NOT NULL
    );
    CREATE INDEX collect_urls_state ON collect_urls(state, run_id);
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        kind TEXT,
        title TEXT,
        etag TEXT,
        last_modified TEXT,
        checked TEXT,
        entries INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 6: tone labels read off the score (|score| > 0.33), so a label never contradicts its score;
    # dates keep their precision (day, or time of day) so "who was first" is claimed only when it can be.
    """
    UPDATE article_intel SET
        sentiment_label = CASE WHEN sentiment IS NULL THEN sentiment_label WHEN sentiment < -0.33 THEN 'negative'
                               WHEN sentiment > 0.33 THEN 'positive' ELSE 'neutral' END,
        headline_label = CASE WHEN headline_sentiment IS NULL THEN headline_label
                              WHEN headline_sentiment < -0.33 THEN 'negative'
                              WHEN headline_sentiment > 0.33 THEN 'positive' ELSE 'neutral' END;
    ALTER TABLE articles ADD COLUMN published_precision TEXT;
    UPDATE articles SET published_precision = CASE WHEN published IS NULL THEN NULL
        WHEN substr(published, 12, 8) = '00:00:00' THEN 'day' ELSE 'time' END;
    ALTER TABLE stories ADD COLUMN tied INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE stories ADD COLUMN precision TEXT NOT NULL DEFAULT 'time';
    ALTER TABLE story_members ADD COLUMN lag_days REAL;
    INSERT INTO meta(key, value) SELECT 'stories_stale', '1' WHERE EXISTS (SELECT 1 FROM stories);
    """,
    # 7: themes, the level above topics, with stable ids across refits and the user's edits.
    """
    CREATE TABLE themes (
        fit_id INTEGER NOT NULL REFERENCES fits(id) ON DELETE CASCADE,
        theme INTEGER NOT NULL,
        label TEXT NOT NULL,
        keywords TEXT NOT NULL,
        size INTEGER NOT NULL,
        centroid BLOB,
        PRIMARY KEY (fit_id, theme)
    );
    ALTER TABLE topics ADD COLUMN theme INTEGER;
    CREATE TABLE theme_edits (
        theme INTEGER PRIMARY KEY,
        label TEXT,
        merged_into INTEGER,
        updated TEXT NOT NULL
    );
    INSERT OR IGNORE INTO meta(key, value) VALUES ('next_theme_id', '0');
    """,
    # 8: the corpus's term document frequencies for tags, so `fit --update` tags new articles alone
    """
    CREATE TABLE tag_terms (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
    """,
    # 9: people, organisations and places: what the tagger found per article (mentions, kept so aliases
    # can be regrouped without tagging again), the entities they resolve to, and the user's edits
    """
    CREATE TABLE article_mentions (
        article_id TEXT NOT NULL,
        surface TEXT NOT NULL,
        kind TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (article_id, surface, kind)
    ) WITHOUT ROWID;
    CREATE TABLE entity_done (article_id TEXT PRIMARY KEY, tagger TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE entities (
        entity_id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE article_entities (
        article_id TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_entities_entity ON article_entities(entity_id, article_id);
    CREATE TABLE entity_edits (
        entity_id INTEGER PRIMARY KEY,
        label TEXT,
        merged_into INTEGER,
        updated TEXT NOT NULL
    );
    """,
    # 10: full-text indexing may trail the rows (a big import commits its rows first and indexes them after,
    # resumably): meta 'fts_upto' is the last article row indexed while some are not; the triggers leave
    # rows beyond it to the catch-up (analysis.store.sqlite.Store.index_search).
    """
    DROP TRIGGER articles_ai;
    DROP TRIGGER articles_ad;
    DROP TRIGGER articles_au;
    CREATE TRIGGER articles_ai AFTER INSERT ON articles
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key IN ('bulk_fts', 'fts_upto')) BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles
    WHEN old.rid <= coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_upto'), old.rid) BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rid, old.title, old.text);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles
    WHEN old.rid <= coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_upto'), old.rid) BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.rid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rid, new.title, new.text);
    END;
    """,
    # 11: one table per per-article stage, so each stage knows what it has done (a row) and a new stage or a
    # changed one fills in for every article on the next run; one word, tone, for what was called sentiment.
    """
    CREATE TABLE article_tone (
        article_id TEXT PRIMARY KEY,
        headline_tone REAL,
        headline_label TEXT NOT NULL,
        tone REAL,
        tone_label TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE article_summaries (article_id TEXT PRIMARY KEY, summary TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE article_tags (article_id TEXT PRIMARY KEY, tags TEXT NOT NULL) WITHOUT ROWID;
    INSERT INTO article_tone(article_id, headline_tone, headline_label, tone, tone_label)
        SELECT article_id, headline_sentiment, coalesce(headline_label, 'not English'), sentiment,
            coalesce(sentiment_label, 'not English') FROM article_intel;
    INSERT INTO article_summaries(article_id, summary) SELECT article_id, coalesce(summary, '') FROM article_intel;
    INSERT INTO article_tags(article_id, tags) SELECT article_id, tags FROM article_intel;
    DROP INDEX article_intel_tone;
    DROP TABLE article_intel;
    CREATE INDEX article_tone_tone ON article_tone(article_id, tone);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def split_sql(script: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        if not line.strip():
            continue
        buf.append(line)
        candidate = "\n".join(buf)
        if sqlite3.complete_statement(candidate):
            statements.append(candidate.strip())
            buf = []
    if buf and "".join(buf).strip():
        statements.append("\n".join(buf).strip())
    return statements
