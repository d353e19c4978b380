CREATE TABLE "notification_changes" (
	"user_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"op" text NOT NULL,
	"ids" bigint[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_changes_user_id_seq_pk" PRIMARY KEY("user_id","seq")
);
--> statement-breakpoint
ALTER TABLE "notification_changes" ADD CONSTRAINT "notification_changes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;