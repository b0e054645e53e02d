ALTER TABLE `sites` ADD `content_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `answers_pending_idx` ON `answers` (`question_id`) WHERE pending = 1;--> statement-breakpoint
CREATE INDEX `questions_published_recent_idx` ON `questions` (`site_id`,`topic`,`created_at`,`id`,`status`) WHERE pending = 0 and hidden_at is null;--> statement-breakpoint
CREATE INDEX `questions_published_votes_idx` ON `questions` (`site_id`,`topic`,`votes`,`created_at`,`id`,`status`) WHERE pending = 0 and hidden_at is null;--> statement-breakpoint
CREATE INDEX `questions_pending_idx` ON `questions` (`site_id`,`created_at`) WHERE pending = 1;--> statement-breakpoint
CREATE INDEX `tips_pending_idx` ON `tips` (`site_id`,`created_at`) WHERE pending = 1;--> statement-breakpoint
CREATE INDEX `kudos_pending_idx` ON `kudos` (`site_id`,`created_at`) WHERE pending = 1;--> statement-breakpoint
-- sites.content_version rises in the same transaction as any change to what a read of the
-- site's questions and answers returns (rows, counts, moderation marks, authors' names, the
-- reader's own votes). Every API process keys its response cache and ETags by it, so a write
-- through one process is never hidden by another's cache. Triggers rather than code: no write
-- path, present or future, CLI included, can forget it.
CREATE TRIGGER `questions_version_insert` AFTER INSERT ON `questions` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = new.`site_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `questions_version_update` AFTER UPDATE ON `questions` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` IN (old.`site_id`, new.`site_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `questions_version_delete` AFTER DELETE ON `questions` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = old.`site_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `answers_version_insert` AFTER INSERT ON `answers` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `questions` WHERE `id` = new.`question_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `answers_version_update` AFTER UPDATE ON `answers` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `questions` WHERE `id` = new.`question_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `answers_version_delete` AFTER DELETE ON `answers` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `questions` WHERE `id` = old.`question_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `question_votes_version_insert` AFTER INSERT ON `question_votes` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `questions` WHERE `id` = new.`question_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `question_votes_version_delete` AFTER DELETE ON `question_votes` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `questions` WHERE `id` = old.`question_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `answer_votes_version_insert` AFTER INSERT ON `answer_votes` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `questions`.`site_id` FROM `answers` JOIN `questions` ON `questions`.`id` = `answers`.`question_id` WHERE `answers`.`id` = new.`answer_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `answer_votes_version_delete` AFTER DELETE ON `answer_votes` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `questions`.`site_id` FROM `answers` JOIN `questions` ON `questions`.`id` = `answers`.`question_id` WHERE `answers`.`id` = old.`answer_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_version_update` AFTER UPDATE OF `name`, `picture`, `roles`, `expert_topics` ON `users`
WHEN old.`name` IS NOT new.`name` OR old.`picture` IS NOT new.`picture` OR old.`roles` IS NOT new.`roles` OR old.`expert_topics` IS NOT new.`expert_topics`
BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = new.`site_id`;
END;
