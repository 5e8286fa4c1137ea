CREATE TABLE `proposal_positions` (
	`proposal_id` text NOT NULL,
	`voter_key` text NOT NULL,
	`country_id` text,
	`position` text NOT NULL,
	`reason` text,
	`by` text NOT NULL,
	`at` integer NOT NULL,
	`revision` integer NOT NULL,
	`from_poll` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`proposal_id`, `voter_key`),
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `proposal_reminders` (
	`key` text PRIMARY KEY NOT NULL,
	`proposal_id` text NOT NULL,
	`user_id` text NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`proposer_id` text NOT NULL,
	`statement` text NOT NULL,
	`statement_html` text NOT NULL,
	`eligibility` text NOT NULL,
	`closes_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	`closed_by` text,
	`outcome` text,
	`outcome_html` text,
	`outcome_by` text,
	`outcome_at` integer,
	`outcome_edited_at` integer,
	`from_poll_id` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`proposer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`outcome_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `proposals_thread` ON `proposals` (`thread_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `proposals_from_poll` ON `proposals` (`from_poll_id`);--> statement-breakpoint
ALTER TABLE `threads` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `threads` ADD `concluded_at` integer;