-- A question's list indexes are the published ones (0008) and, for the rest, partial indexes of
-- the pending and hidden questions (for moderators) and of each author's held ones (for their
-- author), instead of two full indexes of every question: a published ask writes into two list
-- indexes, not four. A list that shows unpublished questions reads the published index and one
-- of these, and merges the two (routes/questions.ts).
DROP INDEX `questions_topic_recent_idx`;--> statement-breakpoint
DROP INDEX `questions_topic_votes_idx`;--> statement-breakpoint
CREATE INDEX `questions_unpublished_idx` ON `questions` (`site_id`,`topic`,`created_at`,`id`) WHERE pending = 1 or hidden_at is not null;--> statement-breakpoint
CREATE INDEX `questions_held_idx` ON `questions` (`author_id`,`site_id`,`topic`,`created_at`,`id`) WHERE pending = 1 and hidden_at is null;