import "server-only";
import { db, rawSql } from "@/db";
import { readChanges } from "@/db/queries/delivery";
import { countUnreadForUsers } from "@/db/queries/notifications";
import { getPreferencesFor } from "@/lib/preferences/service";
import { encodeCursor, planResume } from "./cursor";
import { changeFrames, countFrame } from "./events";
import { sseFrame, type Frame, type Hub } from "./hub";
import { realtime } from "./listener";
import { StreamSubscriber } from "./subscriber";

const RETRY_MS = 2_000;
const encoder = new TextEncoder();
const RETRY: Frame[] = [{ seq: 0, bytes: encoder.encode(`retry: ${RETRY_MS}\n\n`) }];

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform also keeps compression from buffering the stream.
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};

/** Default maximum lifetime of a stream; the client then reconnects and is authenticated again. */
function maxAgeMs() {
  const seconds = Number(process.env.HERALD_STREAM_MAX_AGE_S) || 600;
  // Up to 10% earlier, so streams opened together do not all reconnect in the same second.
  return seconds * 1000 * (0.9 + Math.random() * 0.1);
}

/** Replays what the client missed (or tells it to refetch), then marks the stream live. */
async function startUp(sub: StreamSubscriber, hub: Hub, userId: string, lastEventId: string | null) {
  const w0 = await hub.joined(userId);
  const plan = planResume(userId, lastEventId, w0);
  const frames: Frame[] = [];
  if (plan.kind === "replay" && plan.from < w0) {
    const [changes, prefs, counts] = await Promise.all([
      readChanges(rawSql(), [{ userId, lo: plan.from, hi: w0 }]),
      getPreferencesFor([userId]),
      countUnreadForUsers(db, [userId]),
    ]);
    frames.push(...changeFrames(changes, prefs.get(userId), { replay: true }), countFrame(counts.get(userId) ?? 0));
  } else if (plan.kind === "reset") {
    // Never a silent empty replay: the client refetches, and resumes from here next time.
    frames.push({ seq: 0, bytes: sseFrame("sync.reset", { reason: plan.reason }, encodeCursor(userId, w0)) });
  }
  frames.push({ seq: 0, bytes: sseFrame("ready", { at: new Date().toISOString() }, encodeCursor(userId, w0)) });
  sub.writeStartup(frames);
  sub.goLive(w0);
}

export type StreamRequest = {
  userId: string;
  /** From the Last-Event-ID header or ?lastEventId=; null on a first connect. */
  lastEventId: string | null;
  /** Epoch ms when the session ends (Infinity if unknown): the stream ends then, at the latest. */
  sessionExpiresAt: number;
  /** The request's abort signal, checked synchronously so no subscriber is ever leaked. */
  signal: AbortSignal;
};

/** An SSE response for one user, registered with the process hub until the client goes away. */
export function openNotificationStream(req: StreamRequest): Response {
  const { hub } = realtime();
  let sub: StreamSubscriber | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const deadline = Math.min(Date.now() + maxAgeMs(), req.sessionExpiresAt);
        const s = (sub = new StreamSubscriber(req.userId, deadline, controller, hub));
        if (req.signal.aborted) return s.close();
        req.signal.addEventListener("abort", () => s.close(), { once: true });
        hub.subscribe(s);
        s.writeStartup(RETRY);
        startUp(s, hub, req.userId, req.lastEventId).catch(() => s.close());
      },
      pull() {
        return sub?.pull();
      },
      cancel() {
        sub?.cancel();
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  return new Response(stream, { headers: SSE_HEADERS });
}
