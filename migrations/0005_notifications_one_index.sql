DROP INDEX `notifications_user_created`;--> statement-breakpoint
DROP INDEX `notifications_user_unread`;--> statement-breakpoint
CREATE INDEX `notifications_user_created_read` ON `notifications` (`user_id`,`created_at`,`id`,`read_at`);