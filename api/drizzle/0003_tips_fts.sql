-- Full-text index of tips (body, tags) for searching a topic's tips.
-- Keyed by tip_id like questions_fts (tips has a text primary key). The tags
-- column is the tip's tags joined by spaces, rewritten whenever a tag row
-- comes or goes, so that a search for a tag's words finds the tip.
CREATE VIRTUAL TABLE `tips_fts` USING fts5(
	`tip_id` UNINDEXED,
	`body`,
	`tags`,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `tips_fts` (`tip_id`, `body`, `tags`)
	SELECT `id`, `body`, coalesce((SELECT group_concat(`tag`, ' ') FROM `tip_tags` WHERE `tip_id` = `tips`.`id`), '') FROM `tips`;
--> statement-breakpoint
CREATE TRIGGER `tips_fts_after_insert` AFTER INSERT ON `tips` BEGIN
	INSERT INTO `tips_fts` (`tip_id`, `body`, `tags`) VALUES (new.`id`, new.`body`, '');
END;
--> statement-breakpoint
CREATE TRIGGER `tips_fts_after_delete` AFTER DELETE ON `tips` BEGIN
	DELETE FROM `tips_fts` WHERE `tip_id` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tips_fts_after_update` AFTER UPDATE OF `id`, `body` ON `tips` BEGIN
	DELETE FROM `tips_fts` WHERE `tip_id` = old.`id`;
	INSERT INTO `tips_fts` (`tip_id`, `body`, `tags`)
		VALUES (new.`id`, new.`body`, coalesce((SELECT group_concat(`tag`, ' ') FROM `tip_tags` WHERE `tip_id` = new.`id`), ''));
END;
--> statement-breakpoint
CREATE TRIGGER `tips_fts_after_tag_insert` AFTER INSERT ON `tip_tags` BEGIN
	DELETE FROM `tips_fts` WHERE `tip_id` = new.`tip_id`;
	INSERT INTO `tips_fts` (`tip_id`, `body`, `tags`)
		SELECT `id`, `body`, coalesce((SELECT group_concat(`tag`, ' ') FROM `tip_tags` WHERE `tip_id` = `tips`.`id`), '') FROM `tips` WHERE `id` = new.`tip_id`;
END;
--> statement-breakpoint
-- Also runs when deleting a tip cascades to its tags: the tip is gone then, so nothing is re-inserted.
CREATE TRIGGER `tips_fts_after_tag_delete` AFTER DELETE ON `tip_tags` BEGIN
	DELETE FROM `tips_fts` WHERE `tip_id` = old.`tip_id`;
	INSERT INTO `tips_fts` (`tip_id`, `body`, `tags`)
		SELECT `id`, `body`, coalesce((SELECT group_concat(`tag`, ' ') FROM `tip_tags` WHERE `tip_id` = `tips`.`id`), '') FROM `tips` WHERE `id` = old.`tip_id`;
END;
