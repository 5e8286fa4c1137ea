CREATE TABLE `calendar_feeds` (
	`user_id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE TABLE `meeting_agenda_items` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`presenter` text NOT NULL,
	`minutes` integer NOT NULL,
	`removed_at` integer,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_agenda_items_meeting` ON `meeting_agenda_items` (`meeting_id`,`position`);--> statement-breakpoint
CREATE TABLE `meeting_attendance_answers` (
	`meeting_id` text NOT NULL,
	`occurrence_id` text NOT NULL,
	`user_id` text NOT NULL,
	`answer` text NOT NULL,
	`note` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `occurrence_id`, `user_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_attendance_user` ON `meeting_attendance_answers` (`user_id`);--> statement-breakpoint
CREATE TABLE `meeting_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`meeting_id` text NOT NULL,
	`at` integer NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`occurrence_id` text,
	`changes` text NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_changes_meeting` ON `meeting_changes` (`meeting_id`,`id`);--> statement-breakpoint
CREATE TABLE `meeting_invitees` (
	`meeting_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref_id` text NOT NULL,
	PRIMARY KEY(`meeting_id`, `kind`, `ref_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_invitees_ref` ON `meeting_invitees` (`kind`,`ref_id`);--> statement-breakpoint
CREATE TABLE `meeting_links` (
	`meeting_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `kind`, `ref_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meeting_occurrence_overrides` (
	`meeting_id` text NOT NULL,
	`original_starts_at` integer NOT NULL,
	`state` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`meeting_id`, `original_starts_at`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meeting_poll_answers` (
	`slot_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`user_id` text NOT NULL,
	`answer` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`slot_id`, `user_id`),
	FOREIGN KEY (`slot_id`) REFERENCES `meeting_poll_slots`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_poll_answers_meeting_user` ON `meeting_poll_answers` (`meeting_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `meeting_poll_slots` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`position` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_poll_slots_meeting` ON `meeting_poll_slots` (`meeting_id`,`position`);--> statement-breakpoint
CREATE TABLE `meeting_preferences` (
	`user_id` text PRIMARY KEY NOT NULL,
	`reminders` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meetings` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`description_source` text NOT NULL,
	`description_html` text NOT NULL,
	`description_text` text NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`time_zone` text NOT NULL,
	`recurrence` text,
	`online_url` text,
	`access_notes` text NOT NULL,
	`invite_everyone` integer NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`organizer_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`cancelled_at` integer,
	`cancel_reason` text,
	`poll_opened_at` integer,
	`poll_deadline` integer,
	`poll_closed_at` integer,
	`chosen_slot_id` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organizer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meetings_group_starts` ON `meetings` (`group_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `meetings_group_status` ON `meetings` (`group_id`,`status`);--> statement-breakpoint
CREATE TABLE `scheduled_jobs` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`run_at` integer NOT NULL,
	`payload` text NOT NULL,
	`subject` text NOT NULL,
	`created_at` integer NOT NULL,
	`done_at` integer,
	`outcome` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
CREATE INDEX `scheduled_jobs_pending` ON `scheduled_jobs` (`run_at`) WHERE "scheduled_jobs"."done_at" is null;--> statement-breakpoint
CREATE INDEX `scheduled_jobs_subject` ON `scheduled_jobs` (`subject`);--> statement-breakpoint
ALTER TABLE `countries` ADD `capital_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `countries` ADD `capital_es` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `notifications` ADD `meeting_id` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `meeting_title` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `meeting_details` text;