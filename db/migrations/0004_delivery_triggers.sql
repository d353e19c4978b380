-- Custom migration (drizzle-kit generate --custom): delivery you can resume.
--
-- Every change to a user's notifications now takes the next number of that user's sequence
-- (users.notification_seq, locked until commit, so a user's numbers commit in order and without
-- holes): an INSERT numbers each row (notifications.seq, unchanged from 0001); an UPDATE or DELETE
-- statement takes ONE number per user and records the ids it touched in notification_changes. A
-- stream's Last-Event-ID is such a number, so "everything after n" is a plain range read of two
-- tables, and a bulk action is one event, not one per row.
--
-- NOTIFY moves from row-level to statement-level triggers: one pg_notify per user per statement
-- instead of one per row. NOTIFY takes a database-wide lock from pre-commit until after the commit
-- is flushed, so notifying transactions commit one at a time; fewer, smaller NOTIFYs keep that
-- section short. Payloads stay ids-only: {op, userId, seq, n} (n = rows in the statement).
DROP TRIGGER notifications_notify_insert ON notifications;--> statement-breakpoint
DROP TRIGGER notifications_notify_update ON notifications;--> statement-breakpoint
DROP FUNCTION herald_notification_notify();--> statement-breakpoint
CREATE FUNCTION herald_notifications_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT user_id, max(seq) AS seq, count(*) AS n FROM inserted_rows GROUP BY user_id LOOP
    PERFORM pg_notify(
      'herald_notifications',
      json_build_object('op', 'insert', 'userId', r.user_id, 'seq', r.seq, 'n', r.n)::text
    );
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER notifications_notify_insert
  AFTER INSERT ON notifications
  REFERENCING NEW TABLE AS inserted_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_notifications_inserted();--> statement-breakpoint
-- Records one change per user (ids = the rows it touched) and announces it. A user deleted in the
-- same transaction (ON DELETE CASCADE) has no row left to number: nobody is listening for them.
-- It also prunes the user's changes more than 10,000 numbers old (one primary-key range probe):
-- streams replay at most 5,000 numbers (lib/realtime/cursor.ts) and send sync.reset beyond that.
CREATE FUNCTION herald_record_change(p_user uuid, p_op text, p_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  s bigint;
BEGIN
  UPDATE users SET notification_seq = notification_seq + 1 WHERE id = p_user RETURNING notification_seq INTO s;
  IF s IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO notification_changes (user_id, seq, op, ids) VALUES (p_user, s, p_op, p_ids);
  DELETE FROM notification_changes WHERE user_id = p_user AND seq <= s - 10000;
  PERFORM pg_notify(
    'herald_notifications',
    json_build_object('op', p_op, 'userId', p_user, 'seq', s, 'n', cardinality(p_ids))::text
  );
END;
$$;--> statement-breakpoint
CREATE FUNCTION herald_notifications_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  -- Only rows that really changed: "mark read" on a read row is no event.
  FOR r IN
    SELECT n.user_id, array_agg(n.id ORDER BY n.id) AS ids
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE o IS DISTINCT FROM n
     GROUP BY n.user_id
  LOOP
    PERFORM herald_record_change(r.user_id, 'update', r.ids);
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER notifications_notify_update
  AFTER UPDATE ON notifications
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_notifications_updated();--> statement-breakpoint
CREATE FUNCTION herald_notifications_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT user_id, array_agg(id ORDER BY id) AS ids FROM old_rows GROUP BY user_id LOOP
    PERFORM herald_record_change(r.user_id, 'delete', r.ids);
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER notifications_notify_delete
  AFTER DELETE ON notifications
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_notifications_deleted();
