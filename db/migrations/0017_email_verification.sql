CREATE TABLE "email_verifications" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_verifications" ADD CONSTRAINT "email_verifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_verifications_user_idx" ON "email_verifications" USING btree ("user_id");--> statement-breakpoint
-- Verified addresses, one wake-up per snooze, no second send on wake (drizzle-kit generate, then
-- the custom part below).
--
-- Email goes only to a verified address: whoever inserts a notification (the app, the API, psql),
-- the planning below gives an unverified user's row no email delivery, so no email and no digest
-- (lib/delivery/email-job.ts checks again before sending). Push is unchanged.
--
-- A snooze keeps one wake-up job per notification: the job carries `wake:<id>` as pg-boss's
-- singleton key (unused by the queue's `standard` policy, so only this code reads it), and setting,
-- changing or lifting a snooze deletes the waiting one before queueing the next. A job already
-- running is left alone: it wakes nothing when its snooze has changed (lib/notifications/snooze.ts).
--
-- Waking replans only what has not run: a channel with a delivery row (pending, sent, failed,
-- skipped or cancelled) keeps it, so snoozing and unsnoozing never sends an email or push twice. A
-- device subscribed meanwhile has no row yet and gets one.
CREATE INDEX herald_wake_jobs ON pgboss.job (singleton_key) WHERE name = 'herald-wake' AND state < 'active';--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_enqueue(p_queue text, p_data jsonb, p_start timestamptz, p_key text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pgboss.job (name, data, start_after, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy, dead_letter, singleton_key)
  SELECT q.name, p_data, p_start,
         coalesce(q.expire_seconds, 900) * interval '1 second',
         p_start + coalesce(q.retention_minutes, 20160) * interval '1 minute',
         coalesce(q.retry_limit, 2),
         CASE WHEN coalesce(q.retry_backoff, false) THEN greatest(coalesce(q.retry_delay, 1), 1) ELSE coalesce(q.retry_delay, 0) END,
         coalesce(q.retry_backoff, false), q.policy, q.dead_letter, p_key
    FROM pgboss.queue q
   WHERE q.name = p_queue;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'job queue % does not exist (run the migrations: npm run db:migrate)', p_queue;
  END IF;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_enqueue(p_queue text, p_data jsonb, p_start timestamptz DEFAULT now()) RETURNS void
LANGUAGE sql AS $$
  SELECT herald_enqueue(p_queue, p_data, p_start, NULL::text);
$$;--> statement-breakpoint
-- The notification's one wake-up: the waiting job (if any) goes, and one for `p_until` (if set) comes.
CREATE FUNCTION herald_wake_job(p_id bigint, p_until timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM pgboss.job WHERE name = 'herald-wake' AND state < 'active' AND singleton_key = 'wake:' || p_id;
  IF p_until IS NOT NULL THEN
    PERFORM herald_enqueue('herald-wake', jsonb_build_object('id', p_id, 'until', p_until), p_until, 'wake:' || p_id);
  END IF;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_plan_redelivery(p_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF coalesce(cardinality(p_ids), 0) = 0 THEN
    RETURN;
  END IF;
  FOR r IN
    WITH wanted AS (
      SELECT n.id, n.user_id,
             coalesce((p.categories -> n.category::text ->> 'email')::boolean, false)
               AND coalesce(p.email_digest, 'instant') <> 'off' AND u.email_verified_at IS NOT NULL AS email,
             coalesce((p.categories -> n.category::text ->> 'push')::boolean, true) AS push
        FROM notifications n
        JOIN users u ON u.id = n.user_id
        LEFT JOIN user_preferences p ON p.user_id = n.user_id
       WHERE n.id = ANY (p_ids) AND n.read_at IS NULL AND n.archived_at IS NULL AND n.snoozed_until IS NULL
         AND NOT coalesce((p.categories -> n.category::text ->> 'muted')::boolean, false)
    ), planned AS (
      INSERT INTO notification_deliveries (notification_id, user_id, channel, subscription_id, target)
      SELECT w.id, w.user_id, 'email', NULL, NULL FROM wanted w WHERE w.email
      UNION ALL
      SELECT w.id, w.user_id, 'push', s.id, s.name
        FROM wanted w JOIN push_subscriptions s ON s.user_id = w.user_id
       WHERE w.push
      ON CONFLICT DO NOTHING
      RETURNING notification_id, user_id, channel
    )
    SELECT DISTINCT notification_id, user_id, channel FROM planned
  LOOP
    PERFORM herald_enqueue(
      'herald-' || r.channel,
      jsonb_build_object('notificationId', r.notification_id, 'userId', r.user_id)
    );
  END LOOP;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_plan_deliveries() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    WITH wanted AS (
      SELECT n.id, n.user_id,
             coalesce((p.categories -> n.category::text ->> 'email')::boolean, false)
               AND coalesce(p.email_digest, 'instant') <> 'off' AND u.email_verified_at IS NOT NULL AS email,
             coalesce((p.categories -> n.category::text ->> 'push')::boolean, true) AS push
        FROM inserted_rows n
        JOIN users u ON u.id = n.user_id
        LEFT JOIN user_preferences p ON p.user_id = n.user_id
       WHERE n.read_at IS NULL AND n.archived_at IS NULL AND n.snoozed_until IS NULL
         AND NOT coalesce((p.categories -> n.category::text ->> 'muted')::boolean, false)
    ), planned AS (
      INSERT INTO notification_deliveries (notification_id, user_id, channel, subscription_id, target)
      SELECT w.id, w.user_id, 'email', NULL, NULL FROM wanted w WHERE w.email
      UNION ALL
      SELECT w.id, w.user_id, 'push', s.id, s.name
        FROM wanted w JOIN push_subscriptions s ON s.user_id = w.user_id
       WHERE w.push
      RETURNING notification_id, user_id, channel
    )
    SELECT DISTINCT notification_id, user_id, channel FROM planned
  LOOP
    PERFORM herald_enqueue(
      'herald-' || r.channel,
      jsonb_build_object('notificationId', r.notification_id, 'userId', r.user_id)
    );
  END LOOP;
  PERFORM herald_wake_job(n.id, n.snoozed_until) FROM inserted_rows n WHERE n.snoozed_until IS NOT NULL;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_notifications_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  notify boolean := herald_notify_wanted();
BEGIN
  FOR r IN
    WITH changed AS (
      SELECT n.id, n.user_id AS new_user, o.user_id AS old_user, n.group_key AS new_group, o.group_key AS old_group,
             (n.read_at IS NULL AND n.archived_at IS NULL AND n.snoozed_until IS NULL)::int AS nu,
             (n.read_at IS NULL AND n.archived_at IS NULL AND n.snoozed_until IS NULL AND n.seen_at IS NULL)::int AS ns,
             (o.read_at IS NULL AND o.archived_at IS NULL AND o.snoozed_until IS NULL)::int AS ou,
             (o.read_at IS NULL AND o.archived_at IS NULL AND o.snoozed_until IS NULL AND o.seen_at IS NULL)::int AS os,
             (o.snoozed_until IS NOT NULL AND n.snoozed_until IS NULL AND n.user_id = o.user_id) AS woke
        FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE o IS DISTINCT FROM n
    ), moves AS (
      SELECT new_user AS user_id, new_group AS group_key, id, nu AS du, ns AS ds, woke FROM changed
      UNION ALL
      SELECT old_user, old_group, id, -ou, -os, woke AND old_user = new_user FROM changed
    ), per_group AS (
      SELECT user_id, group_key, sum(du)::int AS du, sum(ds)::int AS ds FROM moves GROUP BY user_id, group_key
    )
    SELECT m.user_id, array_agg(DISTINCT m.id ORDER BY m.id) AS ids, bool_and(m.woke) AS woke,
           (SELECT coalesce(sum(p.du), 0)::int FROM per_group p WHERE p.user_id = m.user_id AND p.group_key IS NULL) AS du,
           (SELECT coalesce(sum(p.ds), 0)::int FROM per_group p WHERE p.user_id = m.user_id AND p.group_key IS NULL) AS ds,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('k', p.group_key, 'u', p.du, 's', p.ds)), '[]'::jsonb)
              FROM per_group p WHERE p.user_id = m.user_id AND p.group_key IS NOT NULL AND (p.du <> 0 OR p.ds <> 0)) AS groups
      FROM moves m GROUP BY m.user_id ORDER BY m.user_id
  LOOP
    PERFORM herald_record_change(r.user_id, CASE WHEN r.woke THEN 'resurface' ELSE 'update' END, r.ids, r.du, r.ds, r.groups, notify);
  END LOOP;
  PERFORM herald_wake_job(n.id, n.snoozed_until)
     FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.snoozed_until IS DISTINCT FROM o.snoozed_until;
  PERFORM herald_plan_redelivery(array(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE o.snoozed_until IS NOT NULL AND n.snoozed_until IS NULL AND n.read_at IS NULL AND n.archived_at IS NULL));
  RETURN NULL;
END;
$$;
