CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`slug` text NOT NULL,
	`name_es` text NOT NULL,
	`name_en` text NOT NULL,
	`description_es` text DEFAULT '' NOT NULL,
	`description_en` text DEFAULT '' NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`start_roles` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_group_slug` ON `categories` (`group_id`,`slug`);--> statement-breakpoint
CREATE TABLE `category_watches` (
	`category_id` text NOT NULL,
	`user_id` text NOT NULL,
	`level` text NOT NULL,
	PRIMARY KEY(`category_id`, `user_id`),
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `post_agreements` (
	`post_id` text NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`post_id`, `user_id`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `post_agreements_user` ON `post_agreements` (`user_id`,`post_id`);--> statement-breakpoint
CREATE TABLE `post_revisions` (
	`post_id` text NOT NULL,
	`number` integer NOT NULL,
	`source` text NOT NULL,
	`html` text NOT NULL,
	`editor_id` text NOT NULL,
	`written_at` integer NOT NULL,
	PRIMARY KEY(`post_id`, `number`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`editor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `posts` (
	`id` text PRIMARY KEY NOT NULL,
	`thread_id` text NOT NULL,
	`seq` integer NOT NULL,
	`parent_id` text,
	`depth` integer NOT NULL,
	`path` text NOT NULL,
	`author_id` text NOT NULL,
	`source` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`state` text DEFAULT 'visible' NOT NULL,
	`hidden_reason` text,
	`hidden_by` text,
	`revision_count` integer DEFAULT 0 NOT NULL,
	`agree_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`edited_at` integer,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_thread_seq` ON `posts` (`thread_id`,`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `posts_thread_path` ON `posts` (`thread_id`,`path`);--> statement-breakpoint
CREATE INDEX `posts_author` ON `posts` (`author_id`);--> statement-breakpoint
CREATE TABLE `read_positions` (
	`user_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`last_read_seq` integer NOT NULL,
	PRIMARY KEY(`user_id`, `thread_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `thread_watches` (
	`thread_id` text NOT NULL,
	`user_id` text NOT NULL,
	`level` text NOT NULL,
	PRIMARY KEY(`thread_id`, `user_id`),
	FOREIGN KEY (`thread_id`) REFERENCES `threads`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `threads` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`category_id` text NOT NULL,
	`author_id` text NOT NULL,
	`title` text NOT NULL,
	`tags` text NOT NULL,
	`indicator_codes` text NOT NULL,
	`pinned` integer DEFAULT false NOT NULL,
	`locked` integer DEFAULT false NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`reply_count` integer DEFAULT 0 NOT NULL,
	`participating_countries` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `threads_group_list` ON `threads` (`group_id`,`pinned`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE INDEX `threads_category_list` ON `threads` (`category_id`,`pinned`,`last_activity_at`,`id`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`actor_name` text,
	`thread_id` text,
	`thread_title` text,
	`post_id` text,
	`excerpt` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notifications_user_created` ON `notifications` (`user_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `notifications_user_unread` ON `notifications` (`user_id`,`read_at`);--> statement-breakpoint
ALTER TABLE `users` ADD `handle` text;--> statement-breakpoint
-- Existing users get a handle from their display name (accents folded, spaces as dots); duplicates take their rowid as suffix.
UPDATE `users` SET `handle` = replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(lower(trim(`display_name`)), 'á', 'a'), 'é', 'e'), 'í', 'i'), 'ó', 'o'), 'ú', 'u'), 'à', 'a'), 'è', 'e'), 'ì', 'i'), 'ò', 'o'), 'ù', 'u'), 'â', 'a'), 'ê', 'e'), 'î', 'i'), 'ô', 'o'), 'û', 'u'), 'ã', 'a'), 'õ', 'o'), 'ä', 'a'), 'ë', 'e'), 'ï', 'i'), 'ö', 'o'), 'ü', 'u'), 'ñ', 'n'), 'ç', 'c'), '''', ''), ' ', '.'), '-', '.'), ',', '');--> statement-breakpoint
UPDATE `users` SET `handle` = 'user' WHERE `handle` = '' OR `handle` IS NULL;--> statement-breakpoint
UPDATE `users` SET `handle` = `handle` || `rowid` WHERE EXISTS (SELECT 1 FROM `users` AS `other` WHERE `other`.`handle` = `users`.`handle` AND `other`.`rowid` < `users`.`rowid`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_handle_unique` ON `users` (`handle`);