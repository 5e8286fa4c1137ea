CREATE TABLE `home_visits` (
	`user_id` text PRIMARY KEY NOT NULL,
	`seen_at` integer NOT NULL,
	`since` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `category_watches_by_user` ON `category_watches` (`user_id`);--> statement-breakpoint
CREATE INDEX `thread_watches_muted_by_user` ON `thread_watches` (`user_id`) WHERE "thread_watches"."level" = 'muted';--> statement-breakpoint
CREATE INDEX `document_versions_uploaded` ON `document_versions` (`uploaded_at`);