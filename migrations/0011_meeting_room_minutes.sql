CREATE TABLE `meeting_action_item_pulls` (
	`action_item_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`agenda_item_id` text NOT NULL,
	`pulled_at` integer NOT NULL,
	`pulled_by` text NOT NULL,
	PRIMARY KEY(`action_item_id`, `meeting_id`),
	FOREIGN KEY (`action_item_id`) REFERENCES `meeting_action_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agenda_item_id`) REFERENCES `meeting_agenda_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pulled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_action_item_pulls_meeting` ON `meeting_action_item_pulls` (`meeting_id`);--> statement-breakpoint
CREATE TABLE `meeting_action_items` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`meeting_id` text NOT NULL,
	`occurrence_id` text NOT NULL,
	`section_key` text NOT NULL,
	`section_title` text NOT NULL,
	`position` integer NOT NULL,
	`text` text NOT NULL,
	`responsible_country_id` text,
	`responsible_person_id` text,
	`due_date` text,
	`status` text NOT NULL,
	`done_at` integer,
	`done_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`removed_at` integer,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responsible_country_id`) REFERENCES `countries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responsible_person_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`done_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_action_items_group_status` ON `meeting_action_items` (`group_id`,`status`,`due_date`);--> statement-breakpoint
CREATE INDEX `meeting_action_items_source` ON `meeting_action_items` (`meeting_id`,`occurrence_id`);--> statement-breakpoint
CREATE TABLE `meeting_minutes` (
	`meeting_id` text NOT NULL,
	`occurrence_id` text NOT NULL,
	`revision` integer NOT NULL,
	`draft` text NOT NULL,
	`field_revisions` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL,
	`published_revision` integer,
	`published` text,
	`published_at` integer,
	`published_by` text,
	`first_published_at` integer,
	PRIMARY KEY(`meeting_id`, `occurrence_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`published_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meeting_chat_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`occurrence_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body_source` text NOT NULL,
	`body_html` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_chat_messages_room` ON `meeting_chat_messages` (`meeting_id`,`occurrence_id`,`id`);--> statement-breakpoint
CREATE TABLE `meeting_quick_poll_answers` (
	`poll_id` text NOT NULL,
	`voter` text NOT NULL,
	`user_id` text NOT NULL,
	`country_id` text,
	`option_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`poll_id`, `voter`),
	FOREIGN KEY (`poll_id`) REFERENCES `meeting_quick_polls`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`country_id`) REFERENCES `countries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meeting_quick_polls` (
	`id` text PRIMARY KEY NOT NULL,
	`meeting_id` text NOT NULL,
	`occurrence_id` text NOT NULL,
	`question` text NOT NULL,
	`kind` text NOT NULL,
	`scope` text NOT NULL,
	`options` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	`closed_by` text,
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meeting_quick_polls_room` ON `meeting_quick_polls` (`meeting_id`,`occurrence_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `meeting_room_attendance` (
	`meeting_id` text NOT NULL,
	`occurrence_id` text NOT NULL,
	`user_id` text NOT NULL,
	`joined_at` integer,
	`marked_at` integer,
	`marked_by` text,
	PRIMARY KEY(`meeting_id`, `occurrence_id`, `user_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`marked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meeting_room_states` (
	`meeting_id` text NOT NULL,
	`occurrence_id` text NOT NULL,
	`current_agenda_item_id` text,
	`agenda_changed_at` integer NOT NULL,
	`agenda_changed_by` text NOT NULL,
	PRIMARY KEY(`meeting_id`, `occurrence_id`),
	FOREIGN KEY (`meeting_id`) REFERENCES `meetings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agenda_changed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
