-- Groups, seen vs read, snooze (drizzle-kit generate, then the custom part below).
CREATE TABLE "notification_groups" (
	"user_id" uuid NOT NULL,
	"group_key" text NOT NULL,
	"unread" integer DEFAULT 0 NOT NULL,
	"unseen" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "notification_groups_user_id_group_key_pk" PRIMARY KEY("user_id","group_key")
);
--> statement-breakpoint
ALTER TABLE "notification_counters" ADD COLUMN "unseen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_groups" ADD CONSTRAINT "notification_groups_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Groups, seen vs read, and snooze, decided in the table's triggers so a row written by plain SQL
-- behaves like one written by the app.
--
-- Counts are of inbox items. A row is active while it is unread, unarchived and not snoozed; an
-- active row without a group counts once, and a group counts once while it has active members.
-- notification_groups keeps each group's active (and active unseen) members under the user's
-- counter lock, taken first by every writer, so a group's move from 0 to 1 (or back) changes the
-- user's counts exactly, whatever commits concurrently.
--
-- A snooze is a job: setting snoozed_until (insert or update) queues a herald-wake job for that
-- time, in the same transaction; the job clears it if it still holds (lib/notifications/snooze.ts).
-- A row that wakes comes back as new: unread, unseen, recorded as a `resurface` change (the stream
-- announces it like a new one) and planned again for email and push.
CREATE FUNCTION herald_group_move(p_user uuid, p_key text, p_unread int, p_unseen int, OUT d_unread int, OUT d_unseen int)
LANGUAGE plpgsql AS $$
DECLARE
  nu int;
  ns int;
BEGIN
  d_unread := 0;
  d_unseen := 0;
  IF p_unread = 0 AND p_unseen = 0 THEN
    RETURN;
  END IF;
  INSERT INTO notification_groups AS g (user_id, group_key, unread, unseen) VALUES (p_user, p_key, p_unread, p_unseen)
  ON CONFLICT (user_id, group_key) DO UPDATE SET unread = g.unread + excluded.unread, unseen = g.unseen + excluded.unseen
  RETURNING g.unread, g.unseen INTO nu, ns;
  d_unread := (nu > 0)::int - (nu - p_unread > 0)::int;
  d_unseen := (ns > 0)::int - (ns - p_unseen > 0)::int;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_notification_assign_seq() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_unread int := (NEW.read_at IS NULL AND NEW.archived_at IS NULL AND NEW.snoozed_until IS NULL)::int;
  v_unseen int := (NEW.read_at IS NULL AND NEW.archived_at IS NULL AND NEW.snoozed_until IS NULL AND NEW.seen_at IS NULL)::int;
  v_direct_unread int := CASE WHEN NEW.group_key IS NULL THEN v_unread ELSE 0 END;
  v_direct_unseen int := CASE WHEN NEW.group_key IS NULL THEN v_unseen ELSE 0 END;
  m record;
BEGIN
  UPDATE notification_counters
     SET seq = seq + 1, unread = notification_counters.unread + v_direct_unread, unseen = notification_counters.unseen + v_direct_unseen
   WHERE user_id = NEW.user_id
   RETURNING seq INTO NEW.seq;
  IF NEW.seq IS NULL THEN
    -- A user created before counters existed, or by a program that bypassed the trigger.
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id) THEN
      RAISE EXCEPTION 'notification recipient % does not exist', NEW.user_id
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    INSERT INTO notification_counters AS c (user_id, seq, unread, unseen) VALUES (NEW.user_id, 1, v_direct_unread, v_direct_unseen)
    ON CONFLICT (user_id) DO UPDATE SET seq = c.seq + 1, unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen
    RETURNING seq INTO NEW.seq;
  END IF;
  IF NEW.group_key IS NOT NULL AND v_unread + v_unseen > 0 THEN
    SELECT * INTO m FROM herald_group_move(NEW.user_id, NEW.group_key, v_unread, v_unseen);
    IF m.d_unread <> 0 OR m.d_unseen <> 0 THEN
      UPDATE notification_counters SET unread = unread + m.d_unread, unseen = unseen + m.d_unseen WHERE user_id = NEW.user_id;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
DROP FUNCTION herald_record_change(uuid, text, bigint[], int, boolean);--> statement-breakpoint
-- One change of a user: numbered under the counter lock, then the groups it moved (in key order),
-- then the counts. p_groups: [{k: group key, u: unread delta, s: unseen delta}].
CREATE FUNCTION herald_record_change(p_user uuid, p_op text, p_ids bigint[], p_unread int, p_unseen int, p_groups jsonb, p_notify boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  s bigint;
  du int := p_unread;
  ds int := p_unseen;
  g record;
  m record;
BEGIN
  IF jsonb_array_length(p_groups) = 0 THEN
    UPDATE notification_counters c SET seq = c.seq + 1, unread = c.unread + du, unseen = c.unseen + ds
      FROM users u
     WHERE c.user_id = p_user AND u.id = p_user
     RETURNING c.seq INTO s;
  ELSE
    UPDATE notification_counters c SET seq = c.seq + 1
      FROM users u
     WHERE c.user_id = p_user AND u.id = p_user
     RETURNING c.seq INTO s;
    IF s IS NOT NULL THEN
      FOR g IN SELECT e ->> 'k' AS k, (e ->> 'u')::int AS gu, (e ->> 's')::int AS gs FROM jsonb_array_elements(p_groups) e ORDER BY 1 LOOP
        SELECT * INTO m FROM herald_group_move(p_user, g.k, g.gu, g.gs);
        du := du + m.d_unread;
        ds := ds + m.d_unseen;
      END LOOP;
      IF du <> 0 OR ds <> 0 THEN
        UPDATE notification_counters SET unread = unread + du, unseen = unseen + ds WHERE user_id = p_user;
      END IF;
    END IF;
  END IF;
  IF s IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO notification_changes (user_id, seq, op, ids) VALUES (p_user, s, p_op, p_ids);
  DELETE FROM notification_changes WHERE user_id = p_user AND seq <= s - 10000;
  IF p_notify THEN
    PERFORM pg_notify(
      'herald_notifications',
      json_build_object('op', p_op, 'userId', p_user, 'seq', s, 'n', cardinality(p_ids))::text
    );
  END IF;
END;
$$;--> statement-breakpoint
-- Email and push again for rows that woke from a snooze, as the preferences say now (the same plan
-- as herald_plan_deliveries for new rows); a channel that already ran is planned afresh.
CREATE FUNCTION herald_plan_redelivery(p_ids bigint[]) RETURNS void
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
               AND coalesce(p.email_digest, 'instant') <> 'off' AS email,
             coalesce((p.categories -> n.category::text ->> 'push')::boolean, true) AS push
        FROM notifications n
        LEFT JOIN user_preferences p ON p.user_id = n.user_id
       WHERE n.id = ANY (p_ids) AND n.read_at IS NULL AND n.archived_at IS NULL AND n.snoozed_until IS NULL
         AND NOT coalesce((p.categories -> n.category::text ->> 'muted')::boolean, false)
    ), planned AS (
      INSERT INTO notification_deliveries AS d (notification_id, user_id, channel, subscription_id, target)
      SELECT w.id, w.user_id, 'email', NULL, NULL FROM wanted w WHERE w.email
      UNION ALL
      SELECT w.id, w.user_id, 'push', s.id, s.name
        FROM wanted w JOIN push_subscriptions s ON s.user_id = w.user_id
       WHERE w.push
      ON CONFLICT (notification_id, channel, (coalesce(subscription_id::text, ''))) DO UPDATE
        SET status = 'pending', reason = NULL, attempts = 0, due_at = NULL, lease_until = NULL, message_id = NULL, updated_at = now()
      RETURNING d.notification_id, d.user_id, d.channel
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
-- New rows: email and push for the active ones; a wake-up job for the snoozed ones (which are
-- planned when they wake).
CREATE OR REPLACE FUNCTION herald_plan_deliveries() RETURNS trigger
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
  PERFORM herald_enqueue('herald-wake', jsonb_build_object('id', n.id, 'until', n.snoozed_until), n.snoozed_until)
     FROM inserted_rows n WHERE n.snoozed_until IS NOT NULL;
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
  PERFORM herald_enqueue('herald-wake', jsonb_build_object('id', n.id, 'until', n.snoozed_until), n.snoozed_until)
     FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.snoozed_until IS NOT NULL AND n.snoozed_until IS DISTINCT FROM o.snoozed_until;
  PERFORM herald_plan_redelivery(array(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE o.snoozed_until IS NOT NULL AND n.snoozed_until IS NULL AND n.read_at IS NULL AND n.archived_at IS NULL));
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_notifications_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  notify boolean := herald_notify_wanted();
BEGIN
  FOR r IN
    WITH moves AS (
      SELECT user_id, group_key, id,
             -(read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL)::int AS du,
             -(read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL AND seen_at IS NULL)::int AS ds
        FROM old_rows
    ), per_group AS (
      SELECT user_id, group_key, sum(du)::int AS du, sum(ds)::int AS ds FROM moves GROUP BY user_id, group_key
    )
    SELECT m.user_id, array_agg(m.id ORDER BY m.id) AS ids,
           (SELECT coalesce(sum(p.du), 0)::int FROM per_group p WHERE p.user_id = m.user_id AND p.group_key IS NULL) AS du,
           (SELECT coalesce(sum(p.ds), 0)::int FROM per_group p WHERE p.user_id = m.user_id AND p.group_key IS NULL) AS ds,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('k', p.group_key, 'u', p.du, 's', p.ds)), '[]'::jsonb)
              FROM per_group p WHERE p.user_id = m.user_id AND p.group_key IS NOT NULL AND (p.du <> 0 OR p.ds <> 0)) AS groups
      FROM moves m GROUP BY m.user_id ORDER BY m.user_id
  LOOP
    PERFORM herald_record_change(r.user_id, 'delete', r.ids, r.du, r.ds, r.groups, notify);
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Items unread (and unseen), not expired: the counters less the expired active rows without a
-- group (a group's expired members leave its count when the cleanup job deletes them).
CREATE OR REPLACE FUNCTION herald_unread_count(p_user uuid) RETURNS int
LANGUAGE sql STABLE AS $$
  SELECT (coalesce((SELECT c.unread FROM notification_counters c WHERE c.user_id = p_user), 0)
    - (SELECT count(*) FROM notifications x
        WHERE x.user_id = p_user AND x.read_at IS NULL AND x.archived_at IS NULL
          AND x.expires_at IS NOT NULL AND x.expires_at <= now() AND x.snoozed_until IS NULL AND x.group_key IS NULL))::int
$$;--> statement-breakpoint
CREATE FUNCTION herald_unseen_count(p_user uuid) RETURNS int
LANGUAGE sql STABLE AS $$
  SELECT (coalesce((SELECT c.unseen FROM notification_counters c WHERE c.user_id = p_user), 0)
    - (SELECT count(*) FROM notifications x
        WHERE x.user_id = p_user AND x.read_at IS NULL AND x.archived_at IS NULL
          AND x.expires_at IS NOT NULL AND x.expires_at <= now() AND x.snoozed_until IS NULL AND x.group_key IS NULL
          AND x.seen_at IS NULL))::int
$$;--> statement-breakpoint
-- Counts as items from the rows there are.
INSERT INTO notification_groups (user_id, group_key, unread, unseen)
SELECT user_id, group_key,
       count(*) FILTER (WHERE read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL),
       count(*) FILTER (WHERE read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL AND seen_at IS NULL)
  FROM notifications WHERE group_key IS NOT NULL GROUP BY user_id, group_key;--> statement-breakpoint
UPDATE notification_counters c
   SET unread = (SELECT count(*) FROM notifications n
                  WHERE n.user_id = c.user_id AND n.group_key IS NULL AND n.read_at IS NULL AND n.archived_at IS NULL AND n.snoozed_until IS NULL)
              + (SELECT count(*) FROM notification_groups g WHERE g.user_id = c.user_id AND g.unread > 0),
       unseen = (SELECT count(*) FROM notifications n
                  WHERE n.user_id = c.user_id AND n.group_key IS NULL AND n.read_at IS NULL AND n.archived_at IS NULL
                    AND n.snoozed_until IS NULL AND n.seen_at IS NULL)
              + (SELECT count(*) FROM notification_groups g WHERE g.user_id = c.user_id AND g.unseen > 0);
