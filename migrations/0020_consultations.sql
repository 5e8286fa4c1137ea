CREATE TABLE `consultation_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consultation_id` text NOT NULL,
	`respondent` text NOT NULL,
	`field` text NOT NULL,
	`kind` text NOT NULL,
	`before` text,
	`after` text,
	`by` text,
	`at` integer NOT NULL,
	`revision` integer NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consultation_changes_respondent_idx` ON `consultation_changes` (`consultation_id`,`respondent`,`id`);--> statement-breakpoint
CREATE TABLE `consultation_reminders` (
	`key` text PRIMARY KEY NOT NULL,
	`consultation_id` text NOT NULL,
	`respondent` text NOT NULL,
	`kind` text NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consultation_reminders_once` ON `consultation_reminders` (`consultation_id`,`respondent`,`kind`);--> statement-breakpoint
CREATE TABLE `consultation_respondents` (
	`consultation_id` text NOT NULL,
	`respondent` text NOT NULL,
	`state` text NOT NULL,
	`draft` text NOT NULL,
	`submitter_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`consultation_id`, `respondent`),
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `consultation_reviews` (
	`consultation_id` text NOT NULL,
	`respondent` text NOT NULL,
	`question` text NOT NULL,
	`review` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`consultation_id`, `respondent`, `question`),
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `consultation_submissions` (
	`consultation_id` text NOT NULL,
	`respondent` text NOT NULL,
	`number` integer NOT NULL,
	`at` integer NOT NULL,
	`by` text,
	`late` integer NOT NULL,
	`answers` text NOT NULL,
	PRIMARY KEY(`consultation_id`, `respondent`, `number`),
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `consultations` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`title_es` text NOT NULL,
	`title_en` text NOT NULL,
	`purpose_es` text NOT NULL,
	`purpose_en` text NOT NULL,
	`status` text NOT NULL,
	`deadline_date` text NOT NULL,
	`deadline_time` text NOT NULL,
	`deadline_zone` text NOT NULL,
	`targets` text NOT NULL,
	`questionnaire` text NOT NULL,
	`version` integer NOT NULL,
	`earlier_round_id` text,
	`summary_es` text,
	`summary_en` text,
	`summary_published_at` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`opened_at` integer,
	`closed_at` integer,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consultations_group_idx` ON `consultations` (`group_id`,`created_at`);