CREATE TABLE `consultation_mail_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`consultation_id` text NOT NULL,
	`respondent` text NOT NULL,
	`author_id` text NOT NULL,
	`text` text NOT NULL,
	`message_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consultation_mail_notes_respondent` ON `consultation_mail_notes` (`consultation_id`,`respondent`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `consultation_mail_notes_message` ON `consultation_mail_notes` (`consultation_id`,`respondent`,`message_id`);