-- Custom migration (drizzle-kit generate --custom): one lock order, and revocations announced.
--
-- Every statement that numbers changes locks users rows (users.notification_seq). Two statements
-- that lock the same users in different orders deadlock (40P01): a broadcast INSERT against the
-- cleanup job's DELETE, or two bulk updates. The row-level insert trigger locks in insertion order,
-- so the app inserts recipients sorted by id; the statement-level loops below now visit users in id
-- order too, so every writer takes users locks in one global order.
--
-- Sessions: the JWT carries only the session id; a row revoked or deleted (sign-out, "sign out
-- everywhere", password change, the user deleted) is announced on `herald_sessions` with the user's
-- id only, and every instance ends that user's streams whose session is no longer valid.
CREATE OR REPLACE FUNCTION herald_notifications_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT user_id, max(seq) AS seq, count(*) AS n FROM inserted_rows GROUP BY user_id ORDER BY user_id LOOP
    PERFORM pg_notify(
      'herald_notifications',
      json_build_object('op', 'insert', 'userId', r.user_id, 'seq', r.seq, 'n', r.n)::text
    );
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_notifications_updated() RETURNS trigger
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
     ORDER BY n.user_id
  LOOP
    PERFORM herald_record_change(r.user_id, 'update', r.ids);
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION herald_notifications_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT user_id, array_agg(id ORDER BY id) AS ids FROM old_rows GROUP BY user_id ORDER BY user_id LOOP
    PERFORM herald_record_change(r.user_id, 'delete', r.ids);
  END LOOP;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE FUNCTION herald_sessions_revoked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
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
CREATE TRIGGER sessions_notify_revoked
  AFTER UPDATE ON sessions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_sessions_revoked();--> statement-breakpoint
CREATE TRIGGER sessions_notify_deleted
  AFTER DELETE ON sessions
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_sessions_revoked();
