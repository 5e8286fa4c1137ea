CREATE TABLE `consultation_generated_rows` (
	`consultation_id` text NOT NULL,
	`respondent` text NOT NULL,
	`question` text NOT NULL,
	`rows` text NOT NULL,
	`generated_at` integer NOT NULL,
	PRIMARY KEY(`consultation_id`, `respondent`, `question`),
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `consultation_submissions` ADD `validation` text;--> statement-breakpoint
ALTER TABLE `consultations` ADD `related_indicators` text DEFAULT '[]' NOT NULL;