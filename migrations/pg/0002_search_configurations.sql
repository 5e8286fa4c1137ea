-- Full-text search on PostgreSQL (SQLite's FTS5 tables are not carried over): accents folded by
-- unaccent (a trusted extension since PostgreSQL 13: the database owner may create it), then the
-- Spanish or English snowball stemmer. The search slice builds its tsvector side tables on these.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION concilia_es (COPY = pg_catalog.spanish);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION concilia_es ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION concilia_en (COPY = pg_catalog.english);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION concilia_en ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
