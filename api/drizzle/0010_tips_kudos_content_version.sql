-- sites.content_version (migration 0008) now also rises with every change to what a read of the
-- site's tips or kudos returns: the rows, their tags, helpful marks and reactions, moderation
-- marks, and the reactions the site offers. Tips and kudos lists are then cached and replayed
-- like the questions list, correct across API processes for the same reason. Authors' names and
-- pictures already raise it (users_version_update).
CREATE TRIGGER `tips_version_insert` AFTER INSERT ON `tips` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = new.`site_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tips_version_update` AFTER UPDATE ON `tips` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` IN (old.`site_id`, new.`site_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `tips_version_delete` AFTER DELETE ON `tips` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = old.`site_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tip_tags_version_insert` AFTER INSERT ON `tip_tags` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = new.`site_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tip_tags_version_delete` AFTER DELETE ON `tip_tags` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = old.`site_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tip_helpful_version_insert` AFTER INSERT ON `tip_helpful` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `tips` WHERE `id` = new.`tip_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `tip_helpful_version_delete` AFTER DELETE ON `tip_helpful` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `tips` WHERE `id` = old.`tip_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `kudos_version_insert` AFTER INSERT ON `kudos` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = new.`site_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `kudos_version_update` AFTER UPDATE ON `kudos` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` IN (old.`site_id`, new.`site_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `kudos_version_delete` AFTER DELETE ON `kudos` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = old.`site_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `kudos_reactions_version_insert` AFTER INSERT ON `kudos_reactions` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `kudos` WHERE `id` = new.`kudos_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `kudos_reactions_version_delete` AFTER DELETE ON `kudos_reactions` BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = (SELECT `site_id` FROM `kudos` WHERE `id` = old.`kudos_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `sites_reactions_version_update` AFTER UPDATE OF `reactions` ON `sites`
WHEN old.`reactions` IS NOT new.`reactions`
BEGIN
	UPDATE `sites` SET `content_version` = `content_version` + 1 WHERE `id` = new.`id`;
END;
