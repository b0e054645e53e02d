-- The full-text index of questions is written in bulk, shortly after a question is asked or
-- edited, instead of in the same transaction (lib/fts.ts, indexListedQuestions): the triggers of
-- 0001 now list the question in `questions_fts_pending`, and the similar-questions search reads
-- the list besides the index, so it still finds a question the moment its ask is acknowledged.
-- One row per question at most: an edit of a question still listed replaces its row.
CREATE TABLE `questions_fts_pending` (
	`id` integer PRIMARY KEY NOT NULL,
	`question_id` text NOT NULL
);
--> statement-breakpoint
DROP TRIGGER `questions_fts_after_insert`;
--> statement-breakpoint
CREATE TRIGGER `questions_fts_after_insert` AFTER INSERT ON `questions` BEGIN
	INSERT INTO `questions_fts_pending` (`question_id`) VALUES (new.`id`);
END;
--> statement-breakpoint
DROP TRIGGER `questions_fts_after_delete`;
--> statement-breakpoint
CREATE TRIGGER `questions_fts_after_delete` AFTER DELETE ON `questions` BEGIN
	DELETE FROM `questions_fts` WHERE `question_id` = old.`id`;
	DELETE FROM `questions_fts_pending` WHERE `question_id` = old.`id`;
END;
--> statement-breakpoint
DROP TRIGGER `questions_fts_after_update`;
--> statement-breakpoint
CREATE TRIGGER `questions_fts_after_update` AFTER UPDATE OF `id`, `title`, `body` ON `questions` BEGIN
	DELETE FROM `questions_fts` WHERE `question_id` = old.`id`;
	DELETE FROM `questions_fts_pending` WHERE `question_id` = old.`id`;
	INSERT INTO `questions_fts_pending` (`question_id`) VALUES (new.`id`);
END;
