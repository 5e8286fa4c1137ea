CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`ip` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_group` ON `audit_log` (`group_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_subject` ON `audit_log` (`subject_kind`,`subject_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_created` ON `audit_log` (`created_at`);--> statement-breakpoint
-- The library's own audit trail moves into the audit log, oldest first, so the ids keep their order.
INSERT INTO `audit_log` (`group_id`, `subject_kind`, `subject_id`, `actor_id`, `action`, `details`, `ip`, `created_at`)
SELECT `group_id`, 'document', `document_id`, `actor_id`, 'document.' || `action`, `details`, NULL, `at` FROM `document_audit` ORDER BY `id`;--> statement-breakpoint
DROP TABLE `document_audit`;