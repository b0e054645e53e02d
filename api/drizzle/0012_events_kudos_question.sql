-- Thanks for an answer carry the title of its question (a kudos' `for`): their events now name that
-- question too (lib/events.ts, itemOf), so that hiding the question withholds them from the stream's
-- replay as it withholds the question's own. The thanks logged before this migration, likewise.
UPDATE `events` SET `question_id` = json_extract(`payload`, '$.kudos.for.questionId')
WHERE `type` = 'kudos.given' AND `question_id` IS NULL AND json_extract(`payload`, '$.kudos.for.questionId') IS NOT NULL;
--> statement-breakpoint
UPDATE `events` SET `hidden` = 1
WHERE `type` = 'kudos.given' AND `question_id` IS NOT NULL
AND EXISTS (SELECT 1 FROM `questions` WHERE `id` = `events`.`question_id` AND (`pending` = 1 OR `hidden_at` IS NOT NULL));
