CREATE TABLE `comment_rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`document_id` text NOT NULL,
	`status` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `comment_rounds_group` ON `comment_rounds` (`group_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comment_rounds_document` ON `comment_rounds` (`document_id`);--> statement-breakpoint
CREATE TABLE `round_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`party_key` text NOT NULL,
	`author_id` text NOT NULL,
	`state` text NOT NULL,
	`comment` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `comment_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_comments_round` ON `round_comments` (`round_id`,`party_key`);--> statement-breakpoint
CREATE TABLE `round_designations` (
	`round_id` text NOT NULL,
	`party_key` text NOT NULL,
	`designated_id` text,
	PRIMARY KEY(`round_id`, `party_key`),
	FOREIGN KEY (`round_id`) REFERENCES `comment_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`designated_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `round_dispositions` (
	`comment_id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`disposition` text NOT NULL,
	FOREIGN KEY (`comment_id`) REFERENCES `round_comments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `comment_rounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_dispositions_round` ON `round_dispositions` (`round_id`);--> statement-breakpoint
CREATE TABLE `round_reanchors` (
	`comment_id` text NOT NULL,
	`round_id` text NOT NULL,
	`version` integer NOT NULL,
	`result` text NOT NULL,
	PRIMARY KEY(`comment_id`, `version`),
	FOREIGN KEY (`comment_id`) REFERENCES `round_comments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `comment_rounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_reanchors_round` ON `round_reanchors` (`round_id`,`version`);--> statement-breakpoint
CREATE TABLE `round_replies` (
	`comment_id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`reply` text NOT NULL,
	FOREIGN KEY (`comment_id`) REFERENCES `round_comments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`round_id`) REFERENCES `comment_rounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `round_replies_round` ON `round_replies` (`round_id`);--> statement-breakpoint
CREATE TABLE `round_structures` (
	`document_id` text NOT NULL,
	`version` integer NOT NULL,
	`structure` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`document_id`, `version`),
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `round_submissions` (
	`round_id` text NOT NULL,
	`party_key` text NOT NULL,
	`revision` integer NOT NULL,
	`submitted_by` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`comment_ids` text NOT NULL,
	`withdrawn_at` integer,
	PRIMARY KEY(`round_id`, `party_key`, `revision`),
	FOREIGN KEY (`round_id`) REFERENCES `comment_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `round_submissions_standing` ON `round_submissions` (`round_id`,`party_key`) WHERE "round_submissions"."withdrawn_at" is null;--> statement-breakpoint
CREATE TABLE `silence_procedures` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `comment_rounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `silence_procedures_round` ON `silence_procedures` (`round_id`,`created_at`);