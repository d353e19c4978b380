-- The inbox: groups, seen vs read, snooze, click-through, and who wrote each notification.
ALTER TABLE "notifications" ADD COLUMN "group_key" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "snoozed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "clicked_at" timestamp with time zone;--> statement-breakpoint
-- Rows from before this were written by the app (or its API); from now on the app says so and any
-- other program's rows are 'sql'.
ALTER TABLE "notifications" ADD COLUMN "source" text DEFAULT 'app' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "source" SET DEFAULT 'sql';--> statement-breakpoint
CREATE INDEX "notifications_user_group_idx" ON "notifications" USING btree ("user_id","group_key","id" DESC NULLS LAST) WHERE "notifications"."group_key" is not null;--> statement-breakpoint
CREATE INDEX "notifications_user_snoozed_idx" ON "notifications" USING btree ("user_id","snoozed_until") WHERE "notifications"."snoozed_until" is not null;