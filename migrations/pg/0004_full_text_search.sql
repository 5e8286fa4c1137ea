-- Full-text search on PostgreSQL: the twins of SQLite's four FTS5 tables (migrations/0012_search_word_forms.sql).
--
-- They live in a schema of their own, `full_text`, as the FTS5 tables stand apart on SQLite: they are
-- PostgreSQL's alone (no drizzle table describes them), so the schema comparison and the copy's table
-- plan, which read `public`, leave them out the way they leave out the FTS5 tables.
--
-- Each row keeps its texts (for snippets) and `stems`, computed by the server as SQLite's are
-- (server/shared/full-text.ts: stemText; snowball after unaccent does not bring "estimación" and
-- "estimaciones" together, docs/postgresql.md "Search"), and `terms`: one tsvector of every column,
-- words folded as FTS5's unicode61 remove_diacritics 2 folds them, each column under its own weight.
-- A query word matches in any column, as in FTS5; where FTS5 filters by column (minutes' drafts),
-- the query names the weights. The weights also rank (ts_rank), as bm25's column weights do on SQLite.
CREATE SCHEMA full_text;
--> statement-breakpoint

-- A text's words as the FTS5 tables see them: lower case, accents dropped (NFD, then the combining
-- marks removed, as the server's fold() does), split at whatever is not a letter or a digit. ASCII
-- punctuation and the common Unicode punctuation become spaces first, so that the parser does not keep
-- "e-mail", an address or "3.5" as one token where FTS5 sees two.
CREATE FUNCTION full_text.words(body text, weight "char") RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    select setweight(to_tsvector('simple'::regconfig,
      regexp_replace(
        regexp_replace(lower(normalize(body, NFD)), '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+', '', 'g'),
        '[\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007f\u0080-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2000-\u206f\u2190-\u2bff\u3000-\u303f]+', ' ', 'g')), weight)
  $$;
--> statement-breakpoint

-- The tsvector of a row's columns, each under its weight. A tsvector holds at most 1 MB: a text
-- past that (a document of megabytes of distinct figures) is indexed from its beginning, halved
-- until it fits, rather than refused.
CREATE FUNCTION full_text.terms(texts text[], weights "char"[]) RETURNS tsvector
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
  DECLARE
    parts text[] := texts;
    result tsvector;
  BEGIN
    LOOP
      BEGIN
        result := ''::tsvector;
        FOR i IN 1 .. coalesce(array_length(parts, 1), 0) LOOP
          result := result || full_text.words(coalesce(parts[i], ''), weights[i]);
        END LOOP;
        RETURN result;
      EXCEPTION WHEN program_limit_exceeded THEN
        SELECT array_agg(left(part, length(part) / 2) ORDER BY n) INTO parts FROM unnest(parts) WITH ORDINALITY AS p(part, n);
      END;
    END LOOP;
  END
  $$;
--> statement-breakpoint

-- Posts (SQLite's search_index): title A, body A, stems D.
CREATE TABLE full_text.posts (
  post_id text PRIMARY KEY REFERENCES public.posts (id) ON DELETE CASCADE,
  title text NOT NULL,
  body text NOT NULL,
  stems text NOT NULL,
  terms tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX posts_terms ON full_text.posts USING gin (terms);
--> statement-breakpoint

-- Document versions (document_versions_search): title A, description B, content C, stems D.
-- `id` stands for SQLite's rowid, by which the repository names a version's row.
CREATE TABLE full_text.document_versions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id text NOT NULL,
  number bigint NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  content text NOT NULL,
  stems text NOT NULL,
  terms tsvector NOT NULL,
  UNIQUE (document_id, number),
  FOREIGN KEY (document_id, number) REFERENCES public.document_versions (document_id, number) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX document_versions_terms ON full_text.document_versions USING gin (terms);
--> statement-breakpoint

-- Meetings (meetings_search): title A, agenda B, description C, stems D.
CREATE TABLE full_text.meetings (
  meeting_id text PRIMARY KEY REFERENCES public.meetings (id) ON DELETE CASCADE,
  title text NOT NULL,
  description text NOT NULL,
  agenda text NOT NULL,
  stems text NOT NULL,
  terms tsvector NOT NULL
);
--> statement-breakpoint
CREATE INDEX meetings_terms ON full_text.meetings USING gin (terms);
--> statement-breakpoint

-- Minutes (minutes_search): published A, draft B, stems of the published text C, of the draft D.
-- Whoever may not read drafts matches weights A and C only.
CREATE TABLE full_text.minutes (
  meeting_id text NOT NULL,
  occurrence_id text NOT NULL,
  published text NOT NULL,
  draft text NOT NULL,
  stems text NOT NULL,
  draft_stems text NOT NULL,
  terms tsvector NOT NULL,
  PRIMARY KEY (meeting_id, occurrence_id),
  FOREIGN KEY (meeting_id, occurrence_id) REFERENCES public.meeting_minutes (meeting_id, occurrence_id) ON DELETE CASCADE
);
--> statement-breakpoint
CREATE INDEX minutes_terms ON full_text.minutes USING gin (terms);
