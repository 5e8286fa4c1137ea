CREATE TABLE `mail_keys` (
	`id` integer PRIMARY KEY NOT NULL,
	`secret` text NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "mail_keys_one_row" CHECK("mail_keys"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`kind` text NOT NULL,
	`user_id` text,
	`to_address` text NOT NULL,
	`to_name` text DEFAULT '' NOT NULL,
	`locale` text NOT NULL,
	`subject` text NOT NULL,
	`content` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`last_error` text,
	`smtp_response` text,
	`discard_after` integer,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_outbox_message_id` ON `mail_outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_due` ON `mail_outbox` (`status`,`next_attempt_at`) WHERE "mail_outbox"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX `mail_outbox_created` ON `mail_outbox` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_status_created` ON `mail_outbox` (`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_to_kind` ON `mail_outbox` (`to_address`,`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `mail_preferences` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`delivery` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`)
);
--> statement-breakpoint
CREATE TABLE `mail_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`digest_hour` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "mail_settings_digest_hour" CHECK("mail_settings"."digest_hour" between 0 and 23)
);
--> statement-breakpoint
CREATE TABLE `mail_tokens` (
	`token` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`subject_id` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
