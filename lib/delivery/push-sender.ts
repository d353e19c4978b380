import "server-only";
import webpush from "web-push";
import type { NotificationCategory, NotificationPriority } from "@/db/schema";
import { env } from "@/lib/env";
import { metrics } from "@/lib/metrics";
import { BlockedAddress, ConnectTimeout, postTo } from "@/lib/http/outbound";

/** What the service worker (public/sw.js) receives, encrypted for one device. */
export type PushPayload = {
  id: string;
  title: string;
  body: string;
  url: string;
  /** `url` is the notification's own action (opening it is a click-through), not the inbox it falls back to. */
  action: boolean;
  priority: NotificationPriority;
  category: NotificationCategory;
};

export type PushTarget = { endpoint: string; p256dh: string; auth: string };

/** `reason` is what the owner reads; `detail` (a status code, an error's name) is for logs only. */
export type PushResult =
  | { ok: true }
  | { ok: false; gone: true; reason: string; detail: string }
  | { ok: false; gone: false; permanent: boolean; timeout?: boolean; reason: string; detail?: string };

/** The largest payload push services must accept (RFC 8291 leaves 4096 bytes with the record overhead). */
export const MAX_PAYLOAD_BYTES = 3993;
const INBOX_PATH = "/notifications";

const URGENCY: Record<NotificationPriority, webpush.Urgency> = { low: "low", normal: "normal", high: "high", urgent: "high" };
// How long a push service keeps a message for a device that is offline.
const TTL_SECONDS: Record<NotificationPriority, number> = { low: 3600, normal: 12 * 3600, high: 24 * 3600, urgent: 48 * 3600 };

/**
 * The payload as JSON within MAX_PAYLOAD_BYTES: the body is shortened first, then the title, then
 * the link falls back to the inbox (a URL alone may be too long for a row written with plain SQL).
 * Each round removes something, so it ends; the last resort is a payload with nothing optional left.
 */
export function encodePayload(payload: PushPayload): string {
  let p = payload;
  for (let round = 0; round < 64; round++) {
    const json = JSON.stringify(p);
    const size = Buffer.byteLength(json);
    if (size <= MAX_PAYLOAD_BYTES) return json;
    const over = size - MAX_PAYLOAD_BYTES;
    if (p.body.length > 0) p = { ...p, body: shorten(p.body, over) };
    else if (p.title.length > 0) p = { ...p, title: shorten(p.title, over) };
    else if (p.url !== INBOX_PATH) p = { ...p, url: INBOX_PATH, action: false };
    else break;
  }
  return JSON.stringify({ ...payload, title: "", body: "", url: INBOX_PATH, action: false, id: payload.id.slice(0, 40) });
}

/** Drops at least `overBytes` (every character is at least one byte) plus room for the "…"; the loop above repeats if need be. */
function shorten(text: string, overBytes: number) {
  const chars = Array.from(text);
  const keep = Math.max(0, chars.length - overBytes - 2);
  return keep === 0 ? "" : `${chars.slice(0, keep).join("")}…`;
}

export function pushConfigured() {
  const { VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY } = env();
  return Boolean(VAPID_PUBLIC_KEY && VAPID_PRIVATE_KEY);
}

/** How long connecting to a push service may take; a tarpit must not hold a sender for the whole send budget. */
export const CONNECT_TIMEOUT_MS = 5000;

/** What a person reads in deliveries[].reason: never the status code or network detail (those go to logs and metrics). */
export const REFUSED = "the push service refused";
export const TIMED_OUT = "the push service did not answer in time";
const UNREACHABLE = "the push service could not be reached";
const GONE = "the device unsubscribed at its push service; removed it";

/**
 * Encrypts (RFC 8291 aes128gcm) and signs (VAPID, RFC 8292) with web-push, then POSTs through
 * lib/http/outbound, which checks every address it connects to and bounds the connect; `signal`
 * (the job's budget) and the per-send timeout end a send that takes too long.
 */
export async function sendPush(target: PushTarget, payload: PushPayload, signal?: AbortSignal): Promise<PushResult> {
  const { VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT, HERALD_DELIVERY_TIMEOUT_S, HERALD_PUSH_ALLOW_LOCAL } = env();
  if (!VAPID_PUBLIC_KEY || !VAPID_PRIVATE_KEY) return { ok: false, gone: false, permanent: true, reason: "push is not set up on this server (VAPID keys)" };
  let request: webpush.RequestDetails & { body: Buffer };
  try {
    request = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      encodePayload(payload),
      {
        vapidDetails: { subject: VAPID_SUBJECT, publicKey: VAPID_PUBLIC_KEY, privateKey: VAPID_PRIVATE_KEY },
        TTL: TTL_SECONDS[payload.priority],
        urgency: URGENCY[payload.priority],
        contentEncoding: "aes128gcm",
      },
    );
  } catch {
    // A row written by another program with keys no browser made.
    return { ok: false, gone: false, permanent: true, reason: "the subscription's keys cannot be encrypted to" };
  }
  const budget = AbortSignal.timeout(Math.max(1000, Math.floor((HERALD_DELIVERY_TIMEOUT_S * 1000) / 3)));
  let status: number;
  try {
    ({ status } = await postTo(request.endpoint, {
      headers: request.headers as Record<string, string>,
      body: request.body,
      addresses: HERALD_PUSH_ALLOW_LOCAL ? "loopback" : "public",
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      signal: signal ? AbortSignal.any([signal, budget]) : budget,
    }));
  } catch (err) {
    const e = err as Error;
    if (e instanceof BlockedAddress) return refused("blocked", { permanent: true });
    const timedOut = e instanceof ConnectTimeout || e.name === "AbortError" || e.name === "TimeoutError";
    if (timedOut) return refused("timeout", { permanent: false, timeout: true, reason: TIMED_OUT });
    return refused("network", { permanent: false, reason: UNREACHABLE, detail: (e as NodeJS.ErrnoException).code ?? e.name });
  }
  metrics().pushResponses.inc({ status: String(status) });
  if (status >= 200 && status < 300) return { ok: true };
  if (status === 404 || status === 410) return { ok: false, gone: true, reason: GONE, detail: `status ${status}` };
  return { ok: false, gone: false, permanent: !(status === 429 || status >= 500), reason: REFUSED, detail: `status ${status}` };
}

function refused(kind: "blocked" | "timeout" | "network", o: { permanent: boolean; timeout?: boolean; reason?: string; detail?: string }): PushResult {
  metrics().pushResponses.inc({ status: kind });
  return { ok: false, gone: false, permanent: o.permanent, timeout: o.timeout, reason: o.reason ?? REFUSED, detail: o.detail ?? kind };
}
