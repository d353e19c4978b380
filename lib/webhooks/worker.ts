import "server-only";
import { db } from "@/db";
import {
  claimWebhookDeliveries,
  getWebhookEndpointForSending,
  nextWebhookWake,
  recordWebhookOutcomes,
  renewWebhookLeases,
  type ClaimedWebhook,
  type WebhookOutcome,
} from "@/db/queries/webhooks";
import type { WebhookEndpoint } from "@/db/schema";
import { openSecret } from "@/lib/apps/secrets";
import { env } from "@/lib/env";
import { BlockedAddress, ConnectTimeout, postTo } from "@/lib/http/outbound";
import { log } from "@/lib/logging/logger.mjs";
import { webhookMessageId } from "./events";
import { signedHeaders } from "./signing";

export type WebhookJob = { endpointId: string };
/** Queues a run for the endpoint: now (at most one waits), or at `at` (a retry or a lease falling due). */
export type WakeWebhook = (endpointId: string, at?: Date) => Promise<void>;

/** An endpoint failing this long without one success is disabled. */
export const DISABLE_AFTER_SECONDS = 5 * 24 * 3600;
/** How much of an answer is kept with its attempt. */
export const RESPONSE_KEEP_BYTES = 1024;
// Sends one run keeps in flight (one per subscriber at most; two runs drain an endpoint at once, and
// a send's timeout also counts its wait for one of the endpoint's 64 sockets), how many must have
// finished before it leases more (each lease looks over the endpoint's whole backlog), and how long
// a run goes on.
const IN_FLIGHT = 40;
const REFILL = 10;
const RUN_MS = 10_000;
// Leases are short and renewed while the sends run, so a dead worker's events go out again within
// seconds, not after the whole send timeout.
const LEASE_S = 5;
const RENEW_MS = 2000;

/** The secrets that sign now: the current one, and the previous one during its 24 hours. */
function signingSecrets(endpoint: WebhookEndpoint): string[] {
  const sealed = [endpoint.secretCiphertext];
  if (endpoint.previousSecretCiphertext && endpoint.previousSecretUntil && endpoint.previousSecretUntil > new Date()) sealed.push(endpoint.previousSecretCiphertext);
  return sealed.map(openSecret).filter((s): s is Uint8Array => s !== null).map((s) => Buffer.from(s).toString("utf8"));
}

/** The body of an event as sent: `{type, timestamp, data}` (Standard Webhooks' shape). */
export function webhookBody(event: Pick<ClaimedWebhook, "type" | "data" | "createdAt">) {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}

async function send(endpoint: WebhookEndpoint, secrets: string[], event: ClaimedWebhook, signal: AbortSignal): Promise<WebhookOutcome & { ok: boolean }> {
  const { HERALD_WEBHOOK_ALLOW_PRIVATE, HERALD_WEBHOOK_TIMEOUT_S } = env();
  const body = webhookBody(event);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await postTo(endpoint.url, {
      headers: { ...signedHeaders(secrets, webhookMessageId(event.eventId), new Date(), body), "Content-Type": "application/json", "User-Agent": "Herald-Webhooks/1" },
      body: Buffer.from(body),
      addresses: HERALD_WEBHOOK_ALLOW_PRIVATE ? "any" : "public",
      connectTimeoutMs: Math.min(5000, HERALD_WEBHOOK_TIMEOUT_S * 1000),
      signal: AbortSignal.any([signal, AbortSignal.timeout(HERALD_WEBHOOK_TIMEOUT_S * 1000)]),
      keepBytes: RESPONSE_KEEP_BYTES,
    });
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: null, responseBody: res.body || null, durationMs: elapsed() };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const error =
      e instanceof BlockedAddress
        ? "blocked: the host resolved to a loopback, private, link-local or metadata address"
        : e instanceof ConnectTimeout || e.name === "AbortError" || e.name === "TimeoutError"
          ? `timeout: no answer within ${HERALD_WEBHOOK_TIMEOUT_S} s`
          : `connection error: ${e.code ?? e.name}`;
    return { ok: false, statusCode: null, error, responseBody: null, durationMs: elapsed() };
  }
}

/**
 * One run for one endpoint: lease what is due, send it (different subscribers at once), record the
 * outcomes in batches as they come, and lease more as sends finish, for a few seconds. Each lease
 * first queues the next run, so another worker (on any instance) drains beside this one and takes
 * over if this process dies; a dead worker's leases stop being renewed and end within seconds, and
 * its events go out again (at least once: the receiver dedupes on `webhook-id`). A subscriber's next
 * event is leased only once the earlier one is recorded. When nothing is due, the run queues one for
 * the next retry.
 */
export async function runWebhookJob(job: WebhookJob, wake: WakeWebhook, signal: AbortSignal) {
  const { HERALD_WEBHOOK_RETRY_SCHEDULE_S } = env();
  const until = Date.now() + RUN_MS;
  // Leased and not yet recorded: their leases are renewed until they are.
  const inFlight = new Set<number>();
  const recorder = outcomeRecorder(job.endpointId, HERALD_WEBHOOK_RETRY_SCHEDULE_S, (ids) => ids.forEach((id) => inFlight.delete(id)));
  const renew = setInterval(() => {
    renewWebhookLeases(db, { endpointId: job.endpointId, eventIds: [...inFlight], leaseSeconds: LEASE_S }).catch(() => {});
  }, RENEW_MS);
  let drained = false;
  try {
    while (Date.now() <= until && !signal.aborted) {
      if (IN_FLIGHT - inFlight.size < REFILL) {
        await recorder.progress();
        continue;
      }
      const endpoint = await getWebhookEndpointForSending(db, job.endpointId);
      if (!endpoint?.enabled) break;
      const secrets = signingSecrets(endpoint);
      if (secrets.length === 0) {
        log().warn({ endpointId: endpoint.id }, "webhook secret does not open (AUTH_SECRET changed?): nothing sent");
        break;
      }
      const batch = await claimWebhookDeliveries(db, { endpointId: endpoint.id, limit: IN_FLIGHT - inFlight.size, leaseSeconds: LEASE_S });
      if (batch.length === 0) {
        if (inFlight.size === 0) {
          drained = true;
          break;
        }
        // What is left waits behind sends in flight (or a retry): lease again once some are recorded.
        await recorder.progress();
        continue;
      }
      await wake(endpoint.id);
      for (const event of batch) {
        inFlight.add(event.eventId);
        void send(endpoint, secrets, event, signal).then((outcome) => recorder.add({ ...outcome, eventId: event.eventId }));
      }
    }
    while (inFlight.size > 0) await recorder.progress();
  } finally {
    clearInterval(renew);
  }
  if (!drained) return;
  const next = await nextWebhookWake(db, job.endpointId);
  if (next) await wake(job.endpointId, next);
}

/**
 * Outcomes written as they come: one statement for all that finished while the last one ran.
 * `progress()` resolves after the next write (and rejects if writing failed: the job fails and runs
 * again, and the unrecorded sends go out again once their leases end).
 */
function outcomeRecorder(endpointId: string, scheduleSeconds: number[], recorded: (eventIds: number[]) => void) {
  let queue: (WebhookOutcome & { eventId: number; ok: boolean })[] = [];
  let writing: Promise<void> | null = null;
  let failure: unknown = null;
  let waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  const settle = () => {
    const now = waiters;
    waiters = [];
    for (const w of now) (failure ? w.reject(failure) : w.resolve());
  };
  const write = async () => {
    try {
      while (queue.length > 0) {
        const part = queue;
        queue = [];
        const { disabled } = await recordWebhookOutcomes(db, { endpointId, outcomes: part, scheduleSeconds, disableAfterSeconds: DISABLE_AFTER_SECONDS });
        if (disabled) log().warn({ endpointId }, "webhook endpoint disabled after failing for 5 days");
        recorded(part.map((o) => o.eventId));
        settle();
      }
    } catch (err) {
      failure = err;
      settle();
    } finally {
      writing = null;
    }
  };
  return {
    add(outcome: WebhookOutcome & { eventId: number; ok: boolean }) {
      if (failure) return;
      queue.push(outcome);
      writing ??= write();
    },
    progress() {
      if (failure) return Promise.reject(failure);
      return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    },
  };
}
