CREATE TABLE `document_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_id` text NOT NULL,
	`document_id` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`details` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `document_audit_document` ON `document_audit` (`document_id`,`id`);--> statement-breakpoint
CREATE TABLE `document_versions` (
	`document_id` text NOT NULL,
	`number` integer NOT NULL,
	`sha256` text NOT NULL,
	`file_name` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`change_note` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`uploaded_at` integer NOT NULL,
	PRIMARY KEY(`document_id`, `number`),
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sha256`) REFERENCES `stored_files`(`sha256`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `document_versions_sha256` ON `document_versions` (`sha256`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`title_es` text NOT NULL,
	`title_en` text NOT NULL,
	`description_es` text NOT NULL,
	`description_en` text NOT NULL,
	`type` text NOT NULL,
	`languages` text NOT NULL,
	`publication_date` text NOT NULL,
	`tags` text NOT NULL,
	`indicator_codes` text NOT NULL,
	`visibility` text NOT NULL,
	`author_country_id` text,
	`author_organization_id` text,
	`related_thread_id` text,
	`related_meeting_id` text,
	`latest_version` integer NOT NULL,
	`download_count` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`deleted_by` text,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_country_id`) REFERENCES `countries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`deleted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `documents_group_published` ON `documents` (`group_id`,`publication_date`,`id`);--> statement-breakpoint
CREATE INDEX `documents_deleted` ON `documents` (`deleted_at`) WHERE "documents"."deleted_at" is not null;--> statement-breakpoint
CREATE TABLE `stored_files` (
	`sha256` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`mime` text NOT NULL,
	`last_claimed_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `notifications` ADD `document_id` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `document_title` text;