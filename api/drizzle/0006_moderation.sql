CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`site_id` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`reason` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_site_idx` ON `audit_log` (`site_id`,`id`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`item_type` text NOT NULL,
	`item_id` text NOT NULL,
	`reporter_id` text NOT NULL,
	`reason` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text NOT NULL,
	`resolved_at` text,
	`resolved_by` text,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_open_uq` ON `reports` (`item_type`,`item_id`,`reporter_id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `reports_site_status_idx` ON `reports` (`site_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `reports_item_idx` ON `reports` (`item_type`,`item_id`);--> statement-breakpoint
DROP INDEX `answers_author_idx`;--> statement-breakpoint
ALTER TABLE `answers` ADD `pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `answers` ADD `hidden_at` text;--> statement-breakpoint
CREATE INDEX `answers_author_idx` ON `answers` (`author_id`,`created_at`);--> statement-breakpoint
DROP INDEX `questions_author_idx`;--> statement-breakpoint
ALTER TABLE `questions` ADD `pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `questions` ADD `hidden_at` text;--> statement-breakpoint
CREATE INDEX `questions_author_idx` ON `questions` (`author_id`,`created_at`);--> statement-breakpoint
DROP INDEX `tips_author_idx`;--> statement-breakpoint
ALTER TABLE `tips` ADD `pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tips` ADD `hidden_at` text;--> statement-breakpoint
CREATE INDEX `tips_author_idx` ON `tips` (`author_id`,`created_at`);--> statement-breakpoint
DROP INDEX `kudos_from_idx`;--> statement-breakpoint
ALTER TABLE `kudos` ADD `pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `kudos` ADD `hidden_at` text;--> statement-breakpoint
CREATE INDEX `kudos_from_idx` ON `kudos` (`from_user_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `events` ADD `item_type` text;--> statement-breakpoint
ALTER TABLE `events` ADD `item_id` text;--> statement-breakpoint
ALTER TABLE `events` ADD `question_id` text;--> statement-breakpoint
ALTER TABLE `events` ADD `hidden` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `events_item_idx` ON `events` (`item_id`);--> statement-breakpoint
CREATE INDEX `events_question_idx` ON `events` (`question_id`);--> statement-breakpoint
ALTER TABLE `sites` ADD `premoderation` text DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `blocked_at` text;--> statement-breakpoint
-- Events logged before this migration name their record only inside the payload.
UPDATE `events` SET
	`item_type` = CASE `type` WHEN 'question.asked' THEN 'question' WHEN 'answer.posted' THEN 'answer' WHEN 'answer.accepted' THEN 'answer' WHEN 'tip.shared' THEN 'tip' WHEN 'kudos.given' THEN 'kudos' END,
	`item_id` = CASE `type`
		WHEN 'question.asked' THEN json_extract(`payload`, '$.question.id')
		WHEN 'answer.posted' THEN json_extract(`payload`, '$.answer.id')
		WHEN 'answer.accepted' THEN json_extract(`payload`, '$.answerId')
		WHEN 'tip.shared' THEN json_extract(`payload`, '$.tip.id')
		WHEN 'kudos.given' THEN json_extract(`payload`, '$.kudos.id') END,
	`question_id` = CASE `type`
		WHEN 'question.asked' THEN json_extract(`payload`, '$.question.id')
		WHEN 'answer.posted' THEN json_extract(`payload`, '$.questionId')
		WHEN 'answer.accepted' THEN json_extract(`payload`, '$.questionId') END;
