-- Custom migration (drizzle-kit generate --custom): email and push are decided from the table.
--
-- Whoever inserts a notification (the app, the HTTP API, psql, another service), the same statement
-- plans its email and push: one notification_deliveries row for email when the recipient has Email on
-- for the category (and digests not off), one per push subscription when Push is on, none when the
-- category is muted or the row arrives already read or archived. Each planned channel also gets a
-- pg-boss job in the same transaction, so a rolled-back notification never sends and a committed one
-- is never forgotten, however the writing program ends. The category defaults here (email off, push
-- on, not muted) are lib/preferences/model.ts's DEFAULT_CATEGORY; a test keeps the two in step.
--
-- Jobs are inserted the way pg-boss 10.4's own `send` does (plans.js insertJob): into pgboss.job,
-- with the queue's retry, expiry and retention policy. The queues and pg-boss's schema are created
-- by the migration step before this file runs (scripts/lib/setup.mjs). pg-boss is pinned exactly;
-- a new pg-boss major needs this function checked against its job table.
CREATE FUNCTION herald_enqueue(p_queue text, p_data jsonb, p_start timestamptz DEFAULT now()) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pgboss.job (name, data, start_after, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy, dead_letter)
  SELECT q.name, p_data, p_start,
         coalesce(q.expire_seconds, 900) * interval '1 second',
         p_start + coalesce(q.retention_minutes, 20160) * interval '1 minute',
         coalesce(q.retry_limit, 2),
         CASE WHEN coalesce(q.retry_backoff, false) THEN greatest(coalesce(q.retry_delay, 1), 1) ELSE coalesce(q.retry_delay, 0) END,
         coalesce(q.retry_backoff, false), q.policy, q.dead_letter
    FROM pgboss.queue q
   WHERE q.name = p_queue;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'job queue % does not exist (run the migrations: npm run db:migrate)', p_queue;
  END IF;
END;
$$;--> statement-breakpoint
CREATE FUNCTION herald_plan_deliveries() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    WITH wanted AS (
      SELECT n.id, n.user_id,
             coalesce((p.categories -> n.category::text ->> 'email')::boolean, false)
               AND coalesce(p.email_digest, 'instant') <> 'off' AS email,
             coalesce((p.categories -> n.category::text ->> 'push')::boolean, true) AS push
        FROM inserted_rows n
        LEFT JOIN user_preferences p ON p.user_id = n.user_id
       WHERE n.read_at IS NULL AND n.archived_at IS NULL
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
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER notifications_plan_deliveries
  AFTER INSERT ON notifications
  REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_plan_deliveries();
