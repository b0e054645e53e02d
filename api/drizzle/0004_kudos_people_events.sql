CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` text NOT NULL,
	`type` text NOT NULL,
	`scope` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `events_site_id_idx` ON `events` (`site_id`,`id`);--> statement-breakpoint
CREATE TABLE `kudos` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`wall` text NOT NULL,
	`from_user_id` text NOT NULL,
	`to_user_id` text NOT NULL,
	`message` text NOT NULL,
	`badge` text NOT NULL,
	`for_answer_id` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`for_answer_id`) REFERENCES `answers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `kudos_wall_recent_idx` ON `kudos` (`site_id`,`wall`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `kudos_wall_recipient_idx` ON `kudos` (`site_id`,`wall`,`to_user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `kudos_site_recipient_idx` ON `kudos` (`site_id`,`to_user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `kudos_from_idx` ON `kudos` (`from_user_id`);--> statement-breakpoint
CREATE TABLE `kudos_reactions` (
	`kudos_id` text NOT NULL,
	`user_id` text NOT NULL,
	`emoji` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`kudos_id`, `user_id`, `emoji`),
	FOREIGN KEY (`kudos_id`) REFERENCES `kudos`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `sites` ADD `kudos_badges` text DEFAULT '["helpful","mentor","team-player","problem-solver","above-and-beyond"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sites` ADD `reactions` text DEFAULT '["👏","🎉","❤️","🙌","💡"]' NOT NULL;--> statement-breakpoint
-- Edited: SQLite adds a NOT NULL column only with a default. Existing users get
-- lower(name), which folds ASCII only; sign-in rewrites the key with lib/people.ts nameKey.
ALTER TABLE `users` ADD `name_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `users` SET `name_key` = lower(`name`);--> statement-breakpoint
CREATE INDEX `users_site_name_key_idx` ON `users` (`site_id`,`name_key`,`id`);