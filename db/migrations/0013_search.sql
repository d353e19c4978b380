-- Full-text search over a user's notifications: title, actor's name and body, archived included.
--
-- The document is a stored generated column (title weight A, actor B, body C, English stemming),
-- so a row written by any program is searchable the moment it commits. A generated column cannot
-- read another table, so the actor's name is copied onto the row: on insert (and when actor_id
-- changes) by a BEFORE trigger, and on a rename by an AFTER trigger on users. A writer without an
-- actor_id may set actor_name itself (an outside system's name), and it is searched the same way.
ALTER TABLE "notifications" ADD COLUMN "actor_name" text;--> statement-breakpoint
-- The copy for existing rows is not a change users need to hear about: the update trigger is off.
ALTER TABLE "notifications" DISABLE TRIGGER "notifications_notify_update";--> statement-breakpoint
UPDATE "notifications" n SET "actor_name" = u."name" FROM "users" u WHERE u."id" = n."actor_id";--> statement-breakpoint
ALTER TABLE "notifications" ENABLE TRIGGER "notifications_notify_update";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, "title"), 'A') || setweight(to_tsvector('english'::regconfig, coalesce("actor_name", '')), 'B') || setweight(to_tsvector('english'::regconfig, "body"), 'C')) STORED;--> statement-breakpoint
-- btree_gin lets one GIN index hold user_id beside the document, so a search reads only the user's
-- matches. It ships with PostgreSQL and is a trusted extension; where it cannot be created the index
-- holds the document alone (still used, then filtered by user).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS btree_gin;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'btree_gin unavailable (%): the search index holds the document alone', SQLERRM;
END;
$$;--> statement-breakpoint
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
    CREATE INDEX "notifications_search_idx" ON "notifications" USING gin ("user_id", "search");
  ELSE
    CREATE INDEX "notifications_search_idx" ON "notifications" USING gin ("search");
  END IF;
END;
$$;--> statement-breakpoint
CREATE INDEX "notifications_actor_idx" ON "notifications" USING btree ("actor_id") WHERE "notifications"."actor_id" is not null;--> statement-breakpoint
CREATE FUNCTION herald_notification_actor_name() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.actor_id IS NOT NULL THEN
    NEW.actor_name := (SELECT u.name FROM users u WHERE u.id = NEW.actor_id);
  ELSIF TG_OP = 'UPDATE' THEN
    NEW.actor_name := NULL;
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER notifications_actor_name
  BEFORE INSERT OR UPDATE OF actor_id ON notifications
  FOR EACH ROW EXECUTE FUNCTION herald_notification_actor_name();--> statement-breakpoint
-- Rows are locked in id order, like every multi-row change (a rename racing "mark all read").
CREATE FUNCTION herald_user_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE notifications SET actor_name = NEW.name
   WHERE id IN (SELECT id FROM notifications WHERE actor_id = NEW.id AND actor_name IS DISTINCT FROM NEW.name ORDER BY id FOR UPDATE);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER users_renamed
  AFTER UPDATE OF name ON users
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION herald_user_renamed();--> statement-breakpoint
-- What the search box means: websearch syntax ("quoted phrases", or, -not), and while the user is
-- still typing a word (the text ends in a letter or digit) that last word as a prefix. NULL when
-- nothing searchable is left (only stop words or punctuation): it matches nothing.
CREATE FUNCTION herald_search_query(p_text text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  q text := websearch_to_tsquery('english'::regconfig, p_text)::text;
BEGIN
  IF q = '' THEN
    RETURN NULL;
  END IF;
  IF p_text ~ '[[:alnum:]]$' AND right(q, 1) = '''' THEN
    q := q || ':*';
  END IF;
  RETURN q::tsquery;
END;
$$;
