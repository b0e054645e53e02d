ALTER TABLE `sites` ADD `people_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- sites.people_version rises in the same transaction as any change to a session of the site's
-- people (signed out, revoked by a block, deleted) or to one of those people (what the token's
-- sign-in refreshes, a block, a role, a deletion). Each API process keeps the sessions it has read
-- while the version it read with them holds (lib/sessions.ts), so a sign-out or a block through
-- any process holds at the next request through every other. A new session or person needs no
-- trigger: nothing has it yet. Only updated_at changing (a sign-in with the same profile) raises nothing.
-- Never write users or sessions with INSERT OR REPLACE: the delete it makes fires no trigger.
CREATE TRIGGER `sessions_people_version_update` AFTER UPDATE ON `sessions` BEGIN
	UPDATE `sites` SET `people_version` = `people_version` + 1 WHERE `id` IN (SELECT `site_id` FROM `users` WHERE `id` IN (old.`user_id`, new.`user_id`));
END;
--> statement-breakpoint
-- (A session deleted once expired raises nothing: its token is refused by its expiry before any read.)
CREATE TRIGGER `sessions_people_version_delete` AFTER DELETE ON `sessions`
WHEN old.`expires_at` > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
BEGIN
	UPDATE `sites` SET `people_version` = `people_version` + 1 WHERE `id` = (SELECT `site_id` FROM `users` WHERE `id` = old.`user_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_people_version_update` AFTER UPDATE ON `users`
WHEN old.`id` IS NOT new.`id` OR old.`site_id` IS NOT new.`site_id` OR old.`subject` IS NOT new.`subject`
	OR old.`name` IS NOT new.`name` OR old.`name_key` IS NOT new.`name_key` OR old.`picture` IS NOT new.`picture`
	OR old.`email` IS NOT new.`email` OR old.`guest` IS NOT new.`guest` OR old.`roles` IS NOT new.`roles`
	OR old.`expert_topics` IS NOT new.`expert_topics` OR old.`blocked_at` IS NOT new.`blocked_at` OR old.`created_at` IS NOT new.`created_at`
BEGIN
	UPDATE `sites` SET `people_version` = `people_version` + 1 WHERE `id` IN (old.`site_id`, new.`site_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_people_version_delete` AFTER DELETE ON `users` BEGIN
	UPDATE `sites` SET `people_version` = `people_version` + 1 WHERE `id` = old.`site_id`;
END;
