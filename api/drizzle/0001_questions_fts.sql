-- Full-text index of questions (title, body) for "similar questions".
-- A contentful FTS5 table keyed by question_id rather than an external-content
-- one: questions has a text primary key, and VACUUM may renumber the implicit
-- rowid an external-content index would rely on.
CREATE VIRTUAL TABLE `questions_fts` USING fts5(
	`question_id` UNINDEXED,
	`title`,
	`body`,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `questions_fts` (`question_id`, `title`, `body`) SELECT `id`, `title`, `body` FROM `questions`;
--> statement-breakpoint
CREATE TRIGGER `questions_fts_after_insert` AFTER INSERT ON `questions` BEGIN
	INSERT INTO `questions_fts` (`question_id`, `title`, `body`) VALUES (new.`id`, new.`title`, new.`body`);
END;
--> statement-breakpoint
CREATE TRIGGER `questions_fts_after_delete` AFTER DELETE ON `questions` BEGIN
	DELETE FROM `questions_fts` WHERE `question_id` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_fts_after_update` AFTER UPDATE OF `id`, `title`, `body` ON `questions` BEGIN
	DELETE FROM `questions_fts` WHERE `question_id` = old.`id`;
	INSERT INTO `questions_fts` (`question_id`, `title`, `body`) VALUES (new.`id`, new.`title`, new.`body`);
END;
