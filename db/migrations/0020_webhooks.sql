CREATE TABLE "webhook_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"endpoint_id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"status_code" integer,
	"error" text,
	"response_body" text,
	"duration_ms" integer NOT NULL,
	"next_retry_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"endpoint_id" uuid NOT NULL,
	"event_id" bigint NOT NULL,
	"subscriber_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_endpoint_id_event_id_pk" PRIMARY KEY("endpoint_id","event_id"),
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("webhook_deliveries"."status" in ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"app_id" uuid NOT NULL,
	"url" text NOT NULL,
	"description" text,
	"events" text[] NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"previous_secret_ciphertext" text,
	"previous_secret_until" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" uuid NOT NULL,
	"subscriber_id" uuid,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_event_id_webhook_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_webhook_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_attempts_endpoint_idx" ON "webhook_attempts" USING btree ("endpoint_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_pending_idx" ON "webhook_deliveries" USING btree ("endpoint_id","subscriber_id","event_id") WHERE "webhook_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_endpoints_app_idx" ON "webhook_endpoints" USING btree ("app_id");--> statement-breakpoint
CREATE INDEX "webhook_events_created_idx" ON "webhook_events" USING btree ("created_at");--> statement-breakpoint
-- Custom part (drizzle-kit generate, then this): webhook events are written by the database.
--
-- Every change an app's endpoints may hear of becomes a webhook_events row (the outbox) in the
-- transaction of the change itself, whoever wrote it (the API, the UI, a plain SQL UPDATE): a
-- rollback leaves no event, a commit never loses one. Each event gets a webhook_deliveries row per
-- enabled endpoint of its app that wants its type, and the endpoint a herald-webhooks job (at most
-- one waiting per endpoint: the queue's `short` policy with the endpoint as singleton key), which
-- sends what is pending (lib/webhooks/worker.ts). Nothing is written while no endpoint wants it.
--
-- These triggers are named to run after the notification triggers of the same event (Postgres
-- fires them by name), so an event is numbered under the user's counter lock: one subscriber's
-- events get ids in the order they commit, and the worker sends them in that order.
CREATE FUNCTION herald_iso(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;--> statement-breakpoint
-- A notification as the API shows it (lib/notifications/dto.ts; its group is the key alone).
CREATE FUNCTION herald_webhook_notification(n notifications) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', n.id::text, 'category', n.category, 'priority', n.priority, 'title', n.title, 'body', n.body,
    'actionUrl', n.action_url, 'actionLabel', n.action_label,
    'actor', CASE WHEN n.actor_id IS NOT NULL AND n.actor_name IS NOT NULL THEN jsonb_build_object('id', n.actor_id, 'name', n.actor_name) END,
    'subject', CASE WHEN n.subject_type IS NOT NULL AND n.subject_id IS NOT NULL THEN jsonb_build_object('type', n.subject_type, 'id', n.subject_id) END,
    'metadata', n.metadata, 'groupKey', n.group_key, 'source', n.source,
    'createdAt', herald_iso(n.created_at), 'readAt', herald_iso(n.read_at), 'archivedAt', herald_iso(n.archived_at),
    'expiresAt', herald_iso(n.expires_at), 'seenAt', herald_iso(n.seen_at), 'snoozedUntil', herald_iso(n.snoozed_until),
    'clickedAt', herald_iso(n.clicked_at))
$$;--> statement-breakpoint
-- Wakes the endpoint's sender: a job now, unless one is already waiting (the unique index of a
-- `short` queue; a job already running does not count, so nothing committed after its last look is missed).
CREATE FUNCTION herald_webhook_wake(p_endpoint uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pgboss.job (name, data, singleton_key, start_after, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy, dead_letter)
  SELECT q.name, jsonb_build_object('endpointId', p_endpoint), p_endpoint::text, now(),
         coalesce(q.expire_seconds, 900) * interval '1 second',
         now() + coalesce(q.retention_minutes, 20160) * interval '1 minute',
         coalesce(q.retry_limit, 2),
         CASE WHEN coalesce(q.retry_backoff, false) THEN greatest(coalesce(q.retry_delay, 1), 1) ELSE coalesce(q.retry_delay, 0) END,
         coalesce(q.retry_backoff, false), q.policy, q.dead_letter
    FROM pgboss.queue q
   WHERE q.name = 'herald-webhooks'
  ON CONFLICT DO NOTHING;
END;
$$;--> statement-breakpoint
-- p_events: [{app, sub, type, data}] in commit order. Events nobody wants are dropped here.
CREATE FUNCTION herald_webhook_emit(p_events jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    WITH given AS (
      SELECT (x.e ->> 'app')::uuid AS app_id, (x.e ->> 'sub')::uuid AS subscriber_id, x.e ->> 'type' AS type, x.e -> 'data' AS data, x.o
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, o)
    ), wanted AS (
      SELECT g.* FROM given g
       WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.app_id = g.app_id AND w.enabled AND g.type = ANY (w.events))
    ), ev AS (
      INSERT INTO webhook_events (app_id, subscriber_id, type, data)
      SELECT app_id, subscriber_id, type, data FROM wanted ORDER BY o
      RETURNING id, app_id, subscriber_id, type
    ), d AS (
      INSERT INTO webhook_deliveries (endpoint_id, event_id, subscriber_id)
      SELECT w.id, ev.id, ev.subscriber_id
        FROM ev JOIN webhook_endpoints w ON w.app_id = ev.app_id AND w.enabled AND ev.type = ANY (w.events)
      RETURNING endpoint_id
    )
    SELECT DISTINCT endpoint_id FROM d ORDER BY 1
  LOOP
    PERFORM herald_webhook_wake(r.endpoint_id);
  END LOOP;
END;
$$;--> statement-breakpoint
-- Whether any endpoint is on at all: the triggers' first, nearly free question.
CREATE FUNCTION herald_webhooks_wanted() RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE enabled)
$$;--> statement-breakpoint
-- A row inserted or deleted: notification.created or .deleted. Rows deleted with their subscriber
-- (or app) are covered by subscriber.deleted: the join finds no user.
CREATE FUNCTION herald_webhook_notifications_added_or_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT herald_webhooks_wanted() THEN
    RETURN NULL;
  END IF;
  PERFORM herald_webhook_emit(coalesce(jsonb_agg(jsonb_build_object(
      'app', u.app_id, 'sub', u.id, 'type', CASE TG_OP WHEN 'INSERT' THEN 'notification.created' ELSE 'notification.deleted' END,
      'data', jsonb_build_object('externalId', u.external_id, 'notification', herald_webhook_notification(n::notifications))) ORDER BY n.id), '[]'))
    FROM changed_rows n JOIN users u ON u.id = n.user_id AND u.app_id IS NOT NULL;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- One event per change of state a row went through in this statement (a read and archive at once: both).
CREATE FUNCTION herald_webhook_notifications_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT herald_webhooks_wanted() THEN
    RETURN NULL;
  END IF;
  PERFORM herald_webhook_emit(coalesce(jsonb_agg(jsonb_build_object(
      'app', c.app_id, 'sub', c.user_id, 'type', c.type,
      'data', jsonb_build_object('externalId', c.external_id, 'notification', c.notification)) ORDER BY c.id, c.k), '[]'))
    FROM (
      SELECT n.id, u.app_id, u.id AS user_id, u.external_id, herald_webhook_notification(n::notifications) AS notification, t.k, t.type
        FROM new_rows n
        JOIN old_rows o ON o.id = n.id
        JOIN users u ON u.id = n.user_id AND u.app_id IS NOT NULL
        CROSS JOIN LATERAL (VALUES
          (1, 'notification.seen', o.seen_at IS NULL AND n.seen_at IS NOT NULL),
          (2, 'notification.read', o.read_at IS NULL AND n.read_at IS NOT NULL),
          (3, 'notification.unread', o.read_at IS NOT NULL AND n.read_at IS NULL),
          (4, 'notification.clicked', o.clicked_at IS NULL AND n.clicked_at IS NOT NULL),
          (5, 'notification.archived', o.archived_at IS NULL AND n.archived_at IS NOT NULL),
          (6, 'notification.snoozed', n.snoozed_until IS NOT NULL AND n.snoozed_until IS DISTINCT FROM o.snoozed_until)
        ) AS t(k, type, happened)
       WHERE t.happened
    ) c;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE FUNCTION herald_webhook_deliveries_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT herald_webhooks_wanted() THEN
    RETURN NULL;
  END IF;
  PERFORM herald_webhook_emit(coalesce(jsonb_agg(jsonb_build_object(
      'app', u.app_id, 'sub', u.id, 'type', 'delivery.' || d.status,
      'data', jsonb_build_object('externalId', u.external_id, 'channel', d.channel, 'attempts', d.attempts, 'reason', d.reason,
                                 'notification', herald_webhook_notification(x))) ORDER BY d.id), '[]'))
    FROM new_rows d
    JOIN old_rows o ON o.id = d.id
    JOIN users u ON u.id = d.user_id AND u.app_id IS NOT NULL
    JOIN notifications x ON x.id = d.notification_id
   WHERE d.status IN ('sent', 'failed') AND d.status IS DISTINCT FROM o.status;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- A subscriber as the API shows it (lib/subscribers/service.ts toSubscriberDTO).
CREATE FUNCTION herald_webhook_subscriber(u users) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', u.id, 'externalId', u.external_id, 'email', u.email, 'name', u.name, 'avatarUrl', u.avatar_url,
                            'locale', u.locale, 'timeZone', u.time_zone, 'data', u.data, 'createdAt', herald_iso(u.created_at))
$$;--> statement-breakpoint
-- With its app gone too (the app was deleted) there is nobody left to tell: the join finds no app.
CREATE FUNCTION herald_webhook_subscribers_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT herald_webhooks_wanted() THEN
    RETURN NULL;
  END IF;
  PERFORM herald_webhook_emit(coalesce(jsonb_agg(jsonb_build_object(
      'app', u.app_id, 'sub', u.id, 'type', CASE TG_OP WHEN 'INSERT' THEN 'subscriber.created' ELSE 'subscriber.deleted' END,
      'data', jsonb_build_object('externalId', u.external_id, 'subscriber', herald_webhook_subscriber(u::users))) ORDER BY u.id), '[]'))
    FROM changed_users u JOIN apps a ON a.id = u.app_id;
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Preferences as the API shows them, less the category defaults (`categories` holds what was set).
CREATE FUNCTION herald_webhook_preferences_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT herald_webhooks_wanted() THEN
    RETURN NULL;
  END IF;
  PERFORM herald_webhook_emit(coalesce(jsonb_agg(jsonb_build_object(
      'app', u.app_id, 'sub', u.id, 'type', 'preferences.updated',
      'data', jsonb_build_object('externalId', u.external_id, 'preferences', jsonb_build_object(
        'categories', p.categories, 'soundEnabled', p.sound_enabled, 'browserEnabled', p.browser_enabled, 'emailDigest', p.email_digest,
        'quietHours', jsonb_build_object('enabled', p.quiet_hours_enabled,
          'start', lpad((p.quiet_start_minute / 60)::text, 2, '0') || ':' || lpad((p.quiet_start_minute % 60)::text, 2, '0'),
          'end', lpad((p.quiet_end_minute / 60)::text, 2, '0') || ':' || lpad((p.quiet_end_minute % 60)::text, 2, '0'),
          'timeZone', p.time_zone)))) ORDER BY u.id), '[]'))
    FROM new_prefs p JOIN users u ON u.id = p.user_id AND u.app_id IS NOT NULL;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER notifications_webhooks_insert
  AFTER INSERT ON notifications
  REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_webhook_notifications_added_or_removed();--> statement-breakpoint
CREATE TRIGGER notifications_webhooks_update
  AFTER UPDATE ON notifications
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_webhook_notifications_updated();--> statement-breakpoint
CREATE TRIGGER notifications_webhooks_delete
  AFTER DELETE ON notifications
  REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_webhook_notifications_added_or_removed();--> statement-breakpoint
CREATE TRIGGER notification_deliveries_webhooks
  AFTER UPDATE ON notification_deliveries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION herald_webhook_deliveries_updated();--> statement-breakpoint
CREATE TRIGGER users_webhooks_insert
  AFTER INSERT ON users
  REFERENCING NEW TABLE AS changed_users
  FOR EACH STATEMENT EXECUTE FUNCTION herald_webhook_subscribers_changed();--> statement-breakpoint
CREATE TRIGGER users_webhooks_delete
  AFTER DELETE ON users
  REFERENCING OLD TABLE AS changed_users
  FOR EACH STATEMENT EXECUTE FUNCTION herald_webhook_subscribers_changed();--> statement-breakpoint
CREATE TRIGGER user_preferences_webhooks_insert
  AFTER INSERT ON user_preferences
  REFERENCING NEW TABLE AS new_prefs
  FOR EACH STATEMENT EXECUTE FUNCTION herald_webhook_preferences_changed();--> statement-breakpoint
CREATE TRIGGER user_preferences_webhooks_update
  AFTER UPDATE ON user_preferences
  REFERENCING NEW TABLE AS new_prefs
  FOR EACH STATEMENT EXECUTE FUNCTION herald_webhook_preferences_changed();
