CREATE TABLE "herald_instance_samples" (
	"instance_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"streams" integer NOT NULL,
	"delivered" integer NOT NULL,
	"latency_buckets" integer[] NOT NULL,
	"requests" integer NOT NULL,
	"server_errors" integer NOT NULL,
	"channel_failures" integer NOT NULL,
	"queue_depth" integer,
	"rss_bytes" bigint NOT NULL,
	CONSTRAINT "herald_instance_samples_instance_id_at_pk" PRIMARY KEY("instance_id","at")
);
--> statement-breakpoint
CREATE TABLE "herald_instances" (
	"id" text PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone,
	"health" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "herald_instance_samples_at_idx" ON "herald_instance_samples" USING btree ("at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_created_idx" ON "notification_deliveries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "notifications_created_brin_idx" ON "notifications" USING brin ("created_at");