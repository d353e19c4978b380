-- Custom migration (drizzle-kit generate --custom): the WAL carries what a live frame needs.
--
-- A replicating instance (lib/realtime/replication.ts) used to read every announced change back from
-- the tables: one statement per delivery round, most of the time from commit to client. New
-- notifications are immutable until a later, numbered change, so the row the WAL already carries
-- is the row a read would return: herald_realtime now publishes every column of a new notification
-- but the search document, and the control publication carries each user's counter row (number,
-- unread, unseen: written in the same transaction as the change) and their preferences, so an
-- instance knows when to read those again. lib/realtime/wal-state.ts builds frames from these where
-- it can prove they are complete and falls back to reading otherwise. Without the privilege to alter
-- the publications, instances keep reading every round, as before.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'herald_realtime') THEN
    ALTER PUBLICATION herald_realtime SET TABLE
      notifications (id, user_id, seq, category, priority, title, body, action_url, action_label, actor_id,
                     source_token_id, subject_type, subject_id, metadata, created_at, read_at, archived_at,
                     expires_at, group_key, seen_at, snoozed_until, clicked_at, source, actor_name),
      notification_changes (user_id, seq, op);
  END IF;
  -- Whole rows, no column lists: a publication of updates needs its column lists to cover the
  -- table's replica identity, whatever an operator sets it to.
  IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'herald_realtime_control') THEN
    ALTER PUBLICATION herald_realtime_control SET TABLE herald_listeners, sessions, notification_counters, user_preferences;
  END IF;
EXCEPTION WHEN insufficient_privilege OR object_not_in_prerequisite_state THEN
  -- Not the owner, or a publication an operator made FOR ALL TABLES.
  RAISE NOTICE 'publications for live delivery left as they were (%): instances read every round', SQLERRM;
END;
$$;
