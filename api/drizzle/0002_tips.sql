CREATE TABLE `tip_helpful` (
	`tip_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`tip_id`, `user_id`),
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tip_tags` (
	`tip_id` text NOT NULL,
	`site_id` text NOT NULL,
	`topic` text NOT NULL,
	`tag` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`tip_id`, `tag`),
	FOREIGN KEY (`tip_id`) REFERENCES `tips`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tip_tags_topic_tag_idx` ON `tip_tags` (`site_id`,`topic`,`tag`,`tip_id`);--> statement-breakpoint
CREATE TABLE `tips` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`topic` text NOT NULL,
	`body` text NOT NULL,
	`author_id` text NOT NULL,
	`helpful_count` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `tips_topic_recent_idx` ON `tips` (`site_id`,`topic`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `tips_topic_helpful_idx` ON `tips` (`site_id`,`topic`,`helpful_count`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `tips_author_idx` ON `tips` (`author_id`);