CREATE TABLE `live_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`topic` text NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`audience` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `live_events_topic_id` ON `live_events` (`topic`,`id`);--> statement-breakpoint
CREATE INDEX `live_events_created` ON `live_events` (`created_at`);