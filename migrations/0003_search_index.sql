-- Full-text search over thread titles and post text (the renderer's plain text).
-- unicode61 with remove_diacritics 2 folds case and accents, so "poblacion" finds "población".
-- The rowid is the post's rowid; the thread title is indexed on the opening post's row only.
-- The repository keeps it in step in the same transaction as each write (insert, edit, retitle,
-- withdraw); hidden posts stay indexed (moderators search them) and are filtered at query time.
CREATE VIRTUAL TABLE `search_index` USING fts5(`title`, `body`, tokenize = 'unicode61 remove_diacritics 2');
