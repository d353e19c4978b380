-- Custom migration (drizzle-kit generate --custom): the realtime path lives in the database so that
-- ANY writer (this app, another service, psql, a cron job) gets live delivery for free.
--
-- 1. BEFORE INSERT: give each notification the next per-user sequence number. The UPDATE takes the
--    user's row lock until commit, so one user's notifications commit in seq order; the SSE resume
--    cursor relies on that to never skip a row that committed late.
-- 2. AFTER INSERT/UPDATE/DELETE: pg_notify on one channel with ids only (op, id, user id, seq). The
--    payload is a few dozen bytes whatever the title/body size, far below NOTIFY's 8000-byte limit;
--    listeners read the row itself from the table.
CREATE FUNCTION herald_notification_assign_seq() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users SET notification_seq = notification_seq + 1
   WHERE id = NEW.user_id
   RETURNING notification_seq INTO NEW.seq;
  IF NEW.seq IS NULL THEN
    RAISE EXCEPTION 'notification recipient % does not exist', NEW.user_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER notifications_assign_seq
  BEFORE INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION herald_notification_assign_seq();--> statement-breakpoint
CREATE FUNCTION herald_notification_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r notifications%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  PERFORM pg_notify(
    'herald_notifications',
    json_build_object('op', lower(TG_OP), 'id', r.id::text, 'userId', r.user_id, 'seq', r.seq)::text
  );
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER notifications_notify_insert
  AFTER INSERT OR DELETE ON notifications
  FOR EACH ROW EXECUTE FUNCTION herald_notification_notify();--> statement-breakpoint
CREATE TRIGGER notifications_notify_update
  AFTER UPDATE ON notifications
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION herald_notification_notify();
