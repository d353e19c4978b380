-- Push devices. notification_deliveries.subscription_id loses its foreign key: ON DELETE SET NULL turned
-- the records of two removed devices for one notification into duplicates under
-- notification_deliveries_once_key (coalesce(subscription_id, '')), so removing a second device (or a
-- 410) failed with 23505; the id now outlives its device. push_subscriptions.session_id ties a
-- device to the sign-in that registered it, so revoking that session removes it.
ALTER TABLE "notification_deliveries" DROP CONSTRAINT "notification_deliveries_subscription_id_push_subscriptions_id_fk";
--> statement-breakpoint
DROP INDEX "notification_deliveries_subscription_idx";--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD COLUMN "session_id" uuid;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "push_subscriptions_session_idx" ON "push_subscriptions" USING btree ("session_id");--> statement-breakpoint
-- Hand-written (a trigger, which drizzle-kit cannot generate): a revoked session's push devices go
-- with it, whichever path revoked it (sign out everywhere, a password change, plain SQL), so a
-- browser signed out for good receives nothing more.
CREATE FUNCTION herald_session_devices_revoked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM push_subscriptions s
   USING new_rows n JOIN old_rows o ON o.id = n.id
   WHERE s.session_id = n.id AND n.revoked_at IS NOT NULL AND o.revoked_at IS NULL;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER sessions_remove_revoked_devices
  AFTER UPDATE ON sessions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_session_devices_revoked();
