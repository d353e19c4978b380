import "server-only";
import webpush from "web-push";
import type { NotificationCategory, NotificationPriority } from "@/db/schema";
import { env } from "@/lib/env";

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

export type PushResult =
  | { ok: true }
  | { ok: false; gone: true; reason: string }
  | { ok: false; gone: false; permanent: boolean; reason: string };

/** The largest payload push services must accept (RFC 8291 leaves 4096 bytes with the record overhead). */
export const MAX_PAYLOAD_BYTES = 3993;

const URGENCY: Record<NotificationPriority, webpush.Urgency> = { low: "low", normal: "normal", high: "high", urgent: "high" };
// How long a push service keeps a message for a device that is offline.
const TTL_SECONDS: Record<NotificationPriority, number> = { low: 3600, normal: 12 * 3600, high: 24 * 3600, urgent: 48 * 3600 };

/** The payload as JSON within MAX_PAYLOAD_BYTES: the body is shortened first, then the title. */
export function encodePayload(payload: PushPayload): string {
  let p = payload;
  for (;;) {
    const json = JSON.stringify(p);
    const size = Buffer.byteLength(json);
    if (size <= MAX_PAYLOAD_BYTES) return json;
    const over = size - MAX_PAYLOAD_BYTES;
    if (p.body.length > 0) p = { ...p, body: shorten(p.body, over) };
    else p = { ...p, title: shorten(p.title, over) };
  }
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

/**
 * Encrypts (RFC 8291 aes128gcm) and signs (VAPID, RFC 8292) with web-push, then sends with fetch,
 * which also speaks plain http to a local endpoint in tests (web-push's own sender is https-only).
 */
export async function sendPush(target: PushTarget, payload: PushPayload): Promise<PushResult> {
  const { VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT, HERALD_DELIVERY_TIMEOUT_S } = env();
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
  let res: Response;
  try {
    res = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: new Uint8Array(request.body),
      redirect: "error",
      signal: AbortSignal.timeout(Math.max(1000, Math.floor((HERALD_DELIVERY_TIMEOUT_S * 1000) / 3))),
    });
  } catch (err) {
    return { ok: false, gone: false, permanent: false, reason: `network: ${(err as Error).name}` };
  }
  await res.body?.cancel().catch(() => {});
  if (res.ok) return { ok: true };
  if (res.status === 404 || res.status === 410) return { ok: false, gone: true, reason: `push service answered ${res.status}: the device unsubscribed; removed it` };
  const transient = res.status === 429 || res.status >= 500;
  return { ok: false, gone: false, permanent: !transient, reason: `push service answered ${res.status}` };
}
