-- Word forms in every search, older document versions, meetings and minutes.
--
-- Each full-text table gains a `stems` column: the Spanish and English Snowball stems of the row's
-- words, each once (server/shared/full-text.ts), so "cifra nacional" finds "cifras nacionales".
-- search_stems() is that function: the server registers it on its connection before it migrates
-- (server/plugins/db.ts). The tables are rebuilt here, once, from what they hold.

-- Posts: same rowids (the post's), same title and body; exact forms weigh four times a stem.
CREATE VIRTUAL TABLE `search_index_stemmed` USING fts5(`title`, `body`, `stems`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `search_index_stemmed` (`rowid`, `title`, `body`, `stems`) SELECT `rowid`, `title`, `body`, search_stems(`title` || ' ' || `body`) FROM `search_index`;
--> statement-breakpoint
DROP TABLE `search_index`;
--> statement-breakpoint
ALTER TABLE `search_index_stemmed` RENAME TO `search_index`;
--> statement-breakpoint
INSERT INTO `search_index` (`search_index`, `rank`) VALUES ('rank', 'bm25(1.0, 1.0, 0.25)');
--> statement-breakpoint

-- The library: one row per version (rowid: the version's rowid), with the document's title and
-- description and that version's text, so a word that only an older version has still finds the
-- document, and says which version. The text of versions older than the latest was never kept: it
-- is empty here until such a version is uploaded again.
CREATE VIRTUAL TABLE `document_versions_search` USING fts5(`title`, `description`, `content`, `stems`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `document_versions_search` (`rowid`, `title`, `description`, `content`, `stems`)
  SELECT v.`rowid`, s.`title`, s.`description`, CASE WHEN v.`number` = d.`latest_version` THEN s.`content` ELSE '' END,
    search_stems(s.`title` || ' ' || s.`description` || ' ' || CASE WHEN v.`number` = d.`latest_version` THEN s.`content` ELSE '' END)
  FROM `document_versions` v JOIN `documents` d ON d.`id` = v.`document_id` JOIN `documents_search` s ON s.`rowid` = d.`rowid`;
--> statement-breakpoint
DROP TABLE `documents_search`;
--> statement-breakpoint

-- Meetings: title, description and agenda (item titles and presenters), rowid the meeting's.
CREATE VIRTUAL TABLE `meetings_search` USING fts5(`title`, `description`, `agenda`, `stems`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
WITH `agendas` AS (
  SELECT `meeting_id`, group_concat(`title` || ' ' || `presenter`, char(10)) AS `agenda`
  FROM (SELECT `meeting_id`, `title`, `presenter` FROM `meeting_agenda_items` WHERE `removed_at` IS NULL ORDER BY `meeting_id`, `position`)
  GROUP BY `meeting_id`
)
INSERT INTO `meetings_search` (`rowid`, `title`, `description`, `agenda`, `stems`)
  SELECT m.`rowid`, m.`title`, m.`description_text`, coalesce(a.`agenda`, ''), search_stems(m.`title` || ' ' || m.`description_text` || ' ' || coalesce(a.`agenda`, ''))
  FROM `meetings` m LEFT JOIN `agendas` a ON a.`meeting_id` = m.`id`;
--> statement-breakpoint

-- Minutes, one row per occurrence's minutes (rowid: the minutes' rowid): the published text, which
-- everyone who sees the meeting may find, and the draft, which only the minutes' writers may.
CREATE VIRTUAL TABLE `minutes_search` USING fts5(`published`, `draft`, `stems`, `draft_stems`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
WITH `texts` AS (
  SELECT n.`rowid` AS `id`,
    coalesce((SELECT group_concat(`value`, char(10)) FROM json_tree(n.`published`, '$.content') WHERE `type` = 'text' AND `key` IN ('introduction', 'title', 'summary', 'decisions', 'text')), '') AS `published`,
    coalesce((SELECT group_concat(`value`, char(10)) FROM json_tree(n.`draft`) WHERE `type` = 'text' AND `key` IN ('introduction', 'title', 'summary', 'decisions', 'text')), '') AS `draft`
  FROM `meeting_minutes` n
)
INSERT INTO `minutes_search` (`rowid`, `published`, `draft`, `stems`, `draft_stems`)
  SELECT `id`, `published`, `draft`, search_stems(`published`), search_stems(`draft`) FROM `texts`;
