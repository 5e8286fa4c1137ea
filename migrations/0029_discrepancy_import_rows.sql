CREATE TABLE `discrepancy_import_rows` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` text NOT NULL,
	`obs_key` text NOT NULL,
	`series_key` text NOT NULL,
	`series` text NOT NULL,
	`country` text NOT NULL,
	`year` integer NOT NULL,
	`reporting_type` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `discrepancy_import_rows_import` ON `discrepancy_import_rows` (`import_id`,`series`);--> statement-breakpoint
CREATE INDEX `discrepancy_import_rows_created` ON `discrepancy_import_rows` (`created_at`);