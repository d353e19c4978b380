import { and, count, desc, eq, lt, sql } from "drizzle-orm";
import { clientOf, type DatabaseOrTransaction } from "@/db";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";

export async function insertWebhookEndpoint(
  db: DatabaseOrTransaction,
  values: { appId: string; url: string; events: string[]; description?: string | null; secretCiphertext: string },
) {
  const [row] = await db.insert(webhookEndpoints).values(values).returning();
  return row;
}

export async function listWebhookEndpoints(db: DatabaseOrTransaction, appId: string) {
  return db.select().from(webhookEndpoints).where(eq(webhookEndpoints.appId, appId)).orderBy(webhookEndpoints.createdAt);
}

export async function countWebhookEndpoints(db: DatabaseOrTransaction, appId: string) {
  const [row] = await db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.appId, appId));
  return row.n;
}

export async function getWebhookEndpoint(db: DatabaseOrTransaction, params: { appId: string; id: string }) {
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, params.id), eq(webhookEndpoints.appId, params.appId)));
  return row ?? null;
}

/** Turning one on again clears its failure record (it starts a new five days). */
/** The worker's read: by id alone (a job names its endpoint; the admin routes scope by app). */
export async function getWebhookEndpointForSending(db: DatabaseOrTransaction, id: string) {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row ?? null;
}

export async function updateWebhookEndpoint(
  db: DatabaseOrTransaction,
  params: { appId: string; id: string; url?: string; events?: string[]; enabled?: boolean },
) {
  const { appId, id, ...set } = params;
  const [row] = await db
    .update(webhookEndpoints)
    .set({ ...set, ...(set.enabled !== undefined ? { disabledAt: null, failingSince: null } : {}) })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.appId, appId)))
    .returning();
  return row ?? null;
}

export async function rotateWebhookSecret(db: DatabaseOrTransaction, params: { appId: string; id: string; secretCiphertext: string; previousUntil: Date }) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ previousSecretCiphertext: webhookEndpoints.secretCiphertext, previousSecretUntil: params.previousUntil, secretCiphertext: params.secretCiphertext })
    .where(and(eq(webhookEndpoints.id, params.id), eq(webhookEndpoints.appId, params.appId)))
    .returning({ id: webhookEndpoints.id });
  return row ?? null;
}

export async function deleteWebhookEndpoint(db: DatabaseOrTransaction, params: { appId: string; id: string }) {
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, params.id), eq(webhookEndpoints.appId, params.appId)))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** A `webhook.test` event for one endpoint, queued like the triggers queue theirs. */
export async function insertTestEvent(db: DatabaseOrTransaction, params: { appId: string; endpointId: string; data: Record<string, unknown> }) {
  const [event] = await db.insert(webhookEvents).values({ appId: params.appId, type: "webhook.test", data: params.data }).returning({ id: webhookEvents.id });
  await db.insert(webhookDeliveries).values({ endpointId: params.endpointId, eventId: event.id });
  await db.execute(sql`select herald_webhook_wake(${params.endpointId}::uuid)`);
  return event.id;
}

/** Sends one of the app's events to the endpoint again (afresh: attempts from 1); false when the app has no such event. */
export async function requeueWebhookEvent(db: DatabaseOrTransaction, params: { appId: string; endpointId: string; eventId: number }) {
  const rows = await clientOf(db)`
    insert into webhook_deliveries (endpoint_id, event_id, subscriber_id)
    select ${params.endpointId}::uuid, e.id, e.subscriber_id from webhook_events e where e.id = ${params.eventId} and e.app_id = ${params.appId}::uuid
    on conflict (endpoint_id, event_id) do update set status = 'pending', attempts = 0, due_at = now(), lease_until = null
    returning event_id`;
  if (rows.length === 0) return false;
  await db.execute(sql`select herald_webhook_wake(${params.endpointId}::uuid)`);
  return true;
}

/** Newest first, `before` an attempt id (the cursor). */
export async function listWebhookAttempts(db: DatabaseOrTransaction, params: { endpointId: string; before?: number; limit: number }) {
  return db
    .select({
      id: webhookAttempts.id,
      eventId: webhookAttempts.eventId,
      type: webhookEvents.type,
      attempt: webhookAttempts.attempt,
      statusCode: webhookAttempts.statusCode,
      error: webhookAttempts.error,
      responseBody: webhookAttempts.responseBody,
      durationMs: webhookAttempts.durationMs,
      nextRetryAt: webhookAttempts.nextRetryAt,
      createdAt: webhookAttempts.createdAt,
    })
    .from(webhookAttempts)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookAttempts.eventId))
    .where(and(eq(webhookAttempts.endpointId, params.endpointId), params.before ? lt(webhookAttempts.id, params.before) : undefined))
    .orderBy(desc(webhookAttempts.id))
    .limit(params.limit);
}

export type ClaimedWebhook = { eventId: number; attempts: number; type: string; data: Record<string, unknown>; createdAt: Date };

/**
 * Leases what is due for one endpoint, oldest first, at most one event per subscriber: a
 * subscriber's next event waits while an earlier one is in flight (sent in commit order), but not
 * while an earlier one waits for a retry. SKIP LOCKED lets several workers drain one endpoint.
 */
export async function claimWebhookDeliveries(db: DatabaseOrTransaction, params: { endpointId: string; limit: number; leaseSeconds: number }): Promise<ClaimedWebhook[]> {
  const rows = await clientOf(db)`
    with heads as materialized (
      -- Each subscriber's first event that is in flight or due (one waiting for a retry is passed over).
      select distinct on (d.subscriber_id) d.event_id, d.lease_until
        from webhook_deliveries d
       where d.endpoint_id = ${params.endpointId} and d.status = 'pending' and (d.due_at <= now() or d.lease_until >= now())
       order by d.subscriber_id, d.event_id
    ), candidates as materialized (
      select event_id from heads where lease_until is null or lease_until < now()
    ), picked as materialized (
      -- By primary key (= any of an array): a freshly filled table has no statistics, and a join
      -- planned without them scans it once per candidate.
      select d.event_id from webhook_deliveries d
       where d.endpoint_id = ${params.endpointId} and d.event_id = any(array(select event_id from candidates))
         and d.status = 'pending' and (d.lease_until is null or d.lease_until < now())
       order by d.event_id
       limit ${params.limit}
       for update of d skip locked
    ), leased as (
      update webhook_deliveries d
         set lease_until = now() + ${params.leaseSeconds} * interval '1 second', attempts = d.attempts + 1
       where d.endpoint_id = ${params.endpointId} and d.event_id = any(array(select event_id from picked))
      returning d.event_id, d.attempts
    )
    select l.event_id as "eventId", l.attempts, e.type, e.data, e.created_at as "createdAt"
      from leased l join webhook_events e on e.id = any(array(select event_id from leased)) and e.id = l.event_id`;
  return rows.map((r) => ({ ...(r as unknown as ClaimedWebhook), eventId: Number(r.eventId), createdAt: new Date(r.createdAt) }));
}

/**
 * When the endpoint next has something to do: a retry falls due or a lease ends. An event due now
 * but waiting behind its subscriber's earlier one goes with the run that records that one.
 */
export async function nextWebhookWake(db: DatabaseOrTransaction, endpointId: string): Promise<Date | null> {
  const [row] = await clientOf(db)`
    select min(case when lease_until > now() then lease_until else due_at end) as at
      from webhook_deliveries
     where endpoint_id = ${endpointId} and status = 'pending' and (lease_until > now() or due_at > now())`;
  return row?.at ? new Date(row.at) : null;
}

export type WebhookOutcome = { statusCode: number | null; error: string | null; responseBody: string | null; durationMs: number };

/**
 * Records a set of sends in one statement: a 2xx is sent; a failure is due again after the
 * schedule's next interval, or failed once past its end. The endpoint's failure record is cleared
 * by any success among them; with none, it remembers when the endpoint started failing, and one
 * failing for longer than `disableAfterSeconds` is disabled (its pending events stay, and go out
 * when it is enabled again). An event no longer pending (another worker recorded it) is left alone.
 */
export async function recordWebhookOutcomes(
  db: DatabaseOrTransaction,
  params: { endpointId: string; outcomes: (WebhookOutcome & { eventId: number; ok: boolean })[]; scheduleSeconds: number[]; disableAfterSeconds: number },
) {
  const { endpointId, outcomes } = params;
  if (outcomes.length === 0) return { disabled: false };
  const schedule = params.scheduleSeconds;
  const rows = outcomes.map((o) => ({ event_id: o.eventId, ok: o.ok, status_code: o.statusCode, error: o.error, response_body: o.responseBody, duration_ms: o.durationMs }));
  const [row] = await clientOf(db)`
    with o as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             as o(event_id bigint, ok boolean, status_code int, error text, response_body text, duration_ms int)
    ), d as (
      update webhook_deliveries w
         set status = case when o.ok then 'sent' when w.attempts > cardinality(${schedule}::int[]) then 'failed' else 'pending' end,
             due_at = case when o.ok or w.attempts > cardinality(${schedule}::int[]) then w.due_at
                           else now() + (${schedule}::int[])[w.attempts] * interval '1 second' end,
             lease_until = null
        from o
       where w.endpoint_id = ${endpointId} and w.event_id = o.event_id and w.status = 'pending'
      returning w.event_id, w.attempts, w.status, w.due_at, o.ok, o.status_code, o.error, o.response_body, o.duration_ms
    ), a as (
      insert into webhook_attempts (endpoint_id, event_id, attempt, status_code, error, response_body, duration_ms, next_retry_at)
      select ${endpointId}, d.event_id, d.attempts, d.status_code, d.error, d.response_body, d.duration_ms,
             case when not d.ok and d.status = 'pending' then d.due_at end
        from d order by d.event_id
    ), s as (
      select bool_or(ok) as any_ok from o
    )
    update webhook_endpoints e
       set failing_since = case when s.any_ok then null else coalesce(e.failing_since, now()) end,
           enabled = e.enabled and (s.any_ok or not coalesce(e.failing_since < now() - ${params.disableAfterSeconds} * interval '1 second', false)),
           disabled_at = case when e.enabled and not s.any_ok and e.failing_since < now() - ${params.disableAfterSeconds} * interval '1 second' then now() else e.disabled_at end
      from s
     where e.id = ${endpointId} and (not s.any_ok or e.failing_since is not null)
    returning e.enabled`;
  return { disabled: row ? !row.enabled : false };
}

/** Keeps the leases of sends still in flight: a live worker's stay, a dead worker's lapse within one lease. */
export async function renewWebhookLeases(db: DatabaseOrTransaction, params: { endpointId: string; eventIds: number[]; leaseSeconds: number }) {
  if (params.eventIds.length === 0) return;
  await clientOf(db)`
    update webhook_deliveries set lease_until = now() + ${params.leaseSeconds} * interval '1 second'
     where endpoint_id = ${params.endpointId} and event_id = any(${params.eventIds}::bigint[]) and status = 'pending' and lease_until is not null`;
}
