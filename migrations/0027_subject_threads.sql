ALTER TABLE `threads` ADD `subject_kind` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `subject_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `threads_subject` ON `threads` (`subject_kind`,`subject_id`) WHERE "threads"."subject_kind" is not null;