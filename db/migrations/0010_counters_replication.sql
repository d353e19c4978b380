-- Delivery at the database's speed (drizzle-kit generate, then the custom part below).
--
-- 1. Numbering moves off the users row. Each change still takes the next number of its user under
--    a row lock held until commit (so a user's numbers commit in order and without holes, and a
--    range read of them is complete), but the row is notification_counters' narrow one, updated
--    HOT (fillfactor 50, no index on what changes) and touched by nothing else. The same update
--    keeps the user's unread count, so counting is a key lookup plus the few unread rows that expire.
-- 2. NOTIFY only when someone listens that way. NOTIFY takes a database-wide lock from pre-commit
--    until the commit is flushed, so notifying transactions commit one at a time. Instances that
--    read changes from the WAL (logical replication of the herald_realtime publications) need no
--    NOTIFY at all; the triggers NOTIFY only while a `notify` row of herald_listeners is fresh.
CREATE TABLE "notification_counters" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"unread" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "herald_listeners" (
	"instance" text PRIMARY KEY NOT NULL,
	"mode" text NOT NULL,
	"token" text,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_counters" ADD CONSTRAINT "notification_counters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_user_expiring_idx" ON "notifications" USING btree ("user_id","expires_at") WHERE "notifications"."read_at" is null and "notifications"."archived_at" is null and "notifications"."expires_at" is not null;--> statement-breakpoint
-- Counters start from what users held: the last number handed out and the unread rows.
INSERT INTO notification_counters (user_id, seq, unread)
SELECT u.id, u.notification_seq,
       (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL AND n.archived_at IS NULL)
  FROM users u;--> statement-breakpoint
ALTER TABLE notification_counters SET (fillfactor = 50);--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "notification_seq";--> statement-breakpoint
-- Every new user starts with a counter row, so numbering is one UPDATE.
CREATE FUNCTION herald_users_counters() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO notification_counters (user_id) SELECT id FROM new_users ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER users_counters
  AFTER INSERT ON users
  REFERENCING NEW TABLE AS new_users
  FOR EACH STATEMENT EXECUTE FUNCTION herald_users_counters();--> statement-breakpoint
-- A user's unread count (not read, not archived, not expired): the counter less the unread rows
-- already expired, a key lookup and an index range over the few unread rows that expire.
CREATE FUNCTION herald_unread_count(p_user uuid) RETURNS int
LANGUAGE sql STABLE AS $$
  SELECT (coalesce((SELECT c.unread FROM notification_counters c WHERE c.user_id = p_user), 0)
    - (SELECT count(*) FROM notifications x
        WHERE x.user_id = p_user AND x.read_at IS NULL AND x.archived_at IS NULL
          AND x.expires_at IS NOT NULL AND x.expires_at <= now()))::int
$$;--> statement-breakpoint
CREATE FUNCTION herald_notify_wanted() RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM herald_listeners WHERE mode = 'notify' AND seen_at > now() - interval '60 seconds')
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_notification_assign_seq() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_unread int := (NEW.read_at IS NULL AND NEW.archived_at IS NULL)::int;
BEGIN
  UPDATE notification_counters SET seq = seq + 1, unread = notification_counters.unread + v_unread
   WHERE user_id = NEW.user_id
   RETURNING seq INTO NEW.seq;
  IF NEW.seq IS NULL THEN
    -- A user created before counters existed, or by a program that bypassed the trigger.
    IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id) THEN
      RAISE EXCEPTION 'notification recipient % does not exist', NEW.user_id
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    INSERT INTO notification_counters AS c (user_id, seq, unread) VALUES (NEW.user_id, 1, v_unread)
    ON CONFLICT (user_id) DO UPDATE SET seq = c.seq + 1, unread = c.unread + excluded.unread
    RETURNING seq INTO NEW.seq;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_notifications_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF NOT herald_notify_wanted() THEN
    RETURN NULL;
  END IF;
  FOR r IN SELECT user_id, max(seq) AS seq, count(*) AS n FROM inserted_rows GROUP BY user_id ORDER BY user_id LOOP
    PERFORM pg_notify(
      'herald_notifications',
      json_build_object('op', 'insert', 'userId', r.user_id, 'seq', r.seq, 'n', r.n)::text
    );
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Records one change per user (ids = the rows it touched, unread = how the unread count moved) and
-- announces it. A user deleted in the same statement (ON DELETE CASCADE) is not visible to the
-- join: nobody is listening for them. It also prunes the user's changes more than 10,000 numbers
-- old (one primary-key range probe): streams replay at most 5,000 numbers (lib/realtime/cursor.ts).
DROP FUNCTION herald_record_change(uuid, text, bigint[]);--> statement-breakpoint
CREATE FUNCTION herald_record_change(p_user uuid, p_op text, p_ids bigint[], p_unread int, p_notify boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  s bigint;
BEGIN
  UPDATE notification_counters c SET seq = c.seq + 1, unread = c.unread + p_unread
    FROM users u
   WHERE c.user_id = p_user AND u.id = p_user
   RETURNING c.seq INTO s;
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
-- Only rows that really changed: "mark read" on a read row is no event. A row moved to another
-- user is a change for both: the new owner gets it, the old one gets its removal.
CREATE OR REPLACE FUNCTION herald_notifications_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  notify boolean := herald_notify_wanted();
BEGIN
  FOR r IN
    WITH changed AS (
      SELECT n.id, n.user_id AS new_user, o.user_id AS old_user,
             (n.read_at IS NULL AND n.archived_at IS NULL)::int AS new_unread,
             (o.read_at IS NULL AND o.archived_at IS NULL)::int AS old_unread
        FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE o IS DISTINCT FROM n
    ), per_user AS (
      SELECT new_user AS user_id, id, new_unread - CASE WHEN old_user = new_user THEN old_unread ELSE 0 END AS delta FROM changed
      UNION ALL
      SELECT old_user, id, -old_unread FROM changed WHERE old_user <> new_user
    )
    SELECT user_id, array_agg(id ORDER BY id) AS ids, sum(delta)::int AS delta FROM per_user GROUP BY user_id ORDER BY user_id
  LOOP
    PERFORM herald_record_change(r.user_id, 'update', r.ids, r.delta, notify);
  END LOOP;
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
    SELECT user_id, array_agg(id ORDER BY id) AS ids, -sum((read_at IS NULL AND archived_at IS NULL)::int)::int AS delta
      FROM old_rows GROUP BY user_id ORDER BY user_id
  LOOP
    PERFORM herald_record_change(r.user_id, 'delete', r.ids, r.delta, notify);
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_sessions_revoked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  IF NOT herald_notify_wanted() THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    FOR r IN SELECT DISTINCT user_id FROM old_rows ORDER BY user_id LOOP
      PERFORM pg_notify('herald_sessions', json_build_object('userId', r.user_id)::text);
    END LOOP;
  ELSE
    FOR r IN
      SELECT DISTINCT n.user_id FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE n.revoked_at IS NOT NULL AND o.revoked_at IS NULL
       ORDER BY n.user_id
    LOOP
      PERFORM pg_notify('herald_sessions', json_build_object('userId', r.user_id)::text);
    END LOOP;
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- What replicating instances read from the WAL: new rows and changes (their ids and numbers only),
-- and the control tables whole (sessions: a deleted row must still say whose it was). Creating a
-- publication needs the CREATE privilege on the database; without it Herald stays on NOTIFY.
DO $$
BEGIN
  CREATE PUBLICATION herald_realtime FOR TABLE notifications (id, user_id, seq), notification_changes (user_id, seq, op)
    WITH (publish = 'insert');
  CREATE PUBLICATION herald_realtime_control FOR TABLE herald_listeners, sessions
    WITH (publish = 'insert, update, delete');
  ALTER TABLE sessions REPLICA IDENTITY FULL;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'no publication for live delivery (%): instances use NOTIFY', SQLERRM;
END;
$$;