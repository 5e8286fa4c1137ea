-- Full-text search over the library: `title` (both languages), `description` (both languages, tags
-- and indicator codes) and `content`, the text extracted from the latest version's file (PDF, DOCX,
-- CSV, TXT). Same folding as the forum's index: "conciliacion" finds "conciliación". The rowid is the
-- document's rowid; the repository keeps it in step in the same transaction as every change, and
-- removes it when the document is purged (a trashed document stays indexed and is filtered at query
-- time, so restoring needs no second extraction).
CREATE VIRTUAL TABLE `documents_search` USING fts5(`title`, `description`, `content`, tokenize = 'unicode61 remove_diacritics 2');
