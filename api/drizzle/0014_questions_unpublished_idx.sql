-- A question's list indexes are the published ones (0008) and, for the rest, one partial index
-- of the pending and hidden questions, instead of two full indexes of every question: an ask
-- writes into two list indexes, not four. Moderators' and authors' lists read the published
-- index and this one, each in order, and merge the two (routes/questions.ts).
DROP INDEX `questions_topic_recent_idx`;--> statement-breakpoint
DROP INDEX `questions_topic_votes_idx`;--> statement-breakpoint
CREATE INDEX `questions_unpublished_idx` ON `questions` (`site_id`,`topic`,`created_at`,`id`) WHERE pending = 1 or hidden_at is not null;