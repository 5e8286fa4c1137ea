CREATE TABLE `discrepancy_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`obs_key` text NOT NULL,
	`series` text NOT NULL,
	`indicator` text NOT NULL,
	`country` text NOT NULL,
	`country_id` text NOT NULL,
	`year` integer NOT NULL,
	`agency_ids` text NOT NULL,
	`national` text NOT NULL,
	`international` text NOT NULL,
	`unit` text NOT NULL,
	`unit_mult` integer NOT NULL,
	`national_value` real NOT NULL,
	`international_value` real NOT NULL,
	`difference` text NOT NULL,
	`gap` real NOT NULL,
	`tolerance` text NOT NULL,
	`status` text NOT NULL,
	`primary_cause` text,
	`secondary_causes` text NOT NULL,
	`explanation` text,
	`published_at` text,
	`published_by` text,
	`history` text NOT NULL,
	`changes` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discrepancy_cases_key` ON `discrepancy_cases` (`group_id`,`obs_key`);--> statement-breakpoint
CREATE INDEX `discrepancy_cases_matrix` ON `discrepancy_cases` (`group_id`,`indicator`,`country_id`,`year`,`status`,`gap`,`published_at`,`agency_ids`);--> statement-breakpoint
CREATE INDEX `discrepancy_cases_country` ON `discrepancy_cases` (`group_id`,`country_id`,`status`);--> statement-breakpoint
CREATE TABLE `discrepancy_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `discrepancy_cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `discrepancy_comments_case` ON `discrepancy_comments` (`case_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `discrepancy_observations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` text NOT NULL,
	`release_id` text NOT NULL,
	`side` text NOT NULL,
	`agency_id` text,
	`obs_key` text NOT NULL,
	`series_key` text NOT NULL,
	`series` text NOT NULL,
	`country` text NOT NULL,
	`year` integer NOT NULL,
	`reporting_type` text NOT NULL,
	`data` text NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`release_id`) REFERENCES `discrepancy_releases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discrepancy_observations_key` ON `discrepancy_observations` (`group_id`,`side`,`obs_key`,`reporting_type`);--> statement-breakpoint
CREATE INDEX `discrepancy_observations_series` ON `discrepancy_observations` (`group_id`,`side`,`series`);--> statement-breakpoint
CREATE INDEX `discrepancy_observations_series_key` ON `discrepancy_observations` (`group_id`,`series_key`);--> statement-breakpoint
CREATE TABLE `discrepancy_releases` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`side` text NOT NULL,
	`format` text NOT NULL,
	`agency_id` text,
	`country` text,
	`title` text NOT NULL,
	`release_date` text,
	`link` text,
	`file_name` text NOT NULL,
	`row_count` integer NOT NULL,
	`summary` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agency_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `discrepancy_releases_group` ON `discrepancy_releases` (`group_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `discrepancy_tolerances` (
	`group_id` text NOT NULL,
	`series` text NOT NULL,
	`kind` text NOT NULL,
	`value` real NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `discrepancy_tolerances_series` ON `discrepancy_tolerances` (`group_id`,`series`);