-- Apps, their signing keys and subscribers (users of an app, under its own ids), and herald_subscriber().
CREATE TABLE "app_signing_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"app_id" uuid NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "apps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" DROP CONSTRAINT "api_tokens_scope_check";--> statement-breakpoint
DROP INDEX "users_email_key";--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "app_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "app_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "avatar_url" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "data" jsonb;--> statement-breakpoint
ALTER TABLE "app_signing_keys" ADD CONSTRAINT "app_signing_keys_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "app_signing_keys_app_idx" ON "app_signing_keys" USING btree ("app_id");--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "users_app_external_key" ON "users" USING btree ("app_id","external_id") WHERE "users"."app_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email")) WHERE "users"."app_id" is null;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_app_check" CHECK (("api_tokens"."scope" = 'app') = ("api_tokens"."app_id" is not null));--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_scope_check" CHECK ("api_tokens"."scope" in ('self', 'users', 'app'));--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_kind_check" CHECK (("users"."app_id" is null and "users"."external_id" is null and "users"."email" is not null and "users"."password_hash" is not null) or ("users"."app_id" is not null and "users"."external_id" is not null and "users"."password_hash" is null));--> statement-breakpoint
-- herald_subscriber(app_id, external_id): the user id of that app's subscriber, created on first use.
-- A host that shares the database calls it inside its own transaction, e.g.
--   insert into notifications (user_id, title) values (herald_subscriber('<app id>', 'u_42'), 'Invoice paid');
-- so the subscriber, the notification and its event commit or roll back together. An existing
-- subscriber is found without a write (no row lock, no dead tuple per call).
CREATE FUNCTION herald_subscriber(p_app_id uuid, p_external_id text) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
  found uuid;
BEGIN
  IF p_app_id IS NULL OR p_external_id IS NULL OR length(p_external_id) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'herald_subscriber: external_id must be 1-200 characters' USING ERRCODE = '22023';
  END IF;
  IF p_external_id = 'bulk' THEN
    RAISE EXCEPTION 'herald_subscriber: external_id "bulk" is reserved (the path of the bulk upsert)' USING ERRCODE = '22023';
  END IF;
  SELECT id INTO found FROM users WHERE app_id = p_app_id AND external_id = p_external_id;
  IF found IS NOT NULL THEN
    RETURN found;
  END IF;
  INSERT INTO users (app_id, external_id, name) VALUES (p_app_id, p_external_id, p_external_id)
    ON CONFLICT (app_id, external_id) WHERE app_id IS NOT NULL DO NOTHING
    RETURNING id INTO found;
  IF found IS NULL THEN
    -- Another transaction created it meanwhile and has committed (ON CONFLICT waited for it).
    SELECT id INTO found FROM users WHERE app_id = p_app_id AND external_id = p_external_id;
  END IF;
  RETURN found;
END;
$$;
