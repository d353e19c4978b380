import "server-only";
import { logError } from "@/lib/logging/log-error.mjs";
import { env } from "@/lib/env";
import { metrics } from "@/lib/metrics";
import { encodeCursor, planResume } from "../cursor";
import { controlFrame, sseFrame, type Frame } from "../frames";
import type { Hub } from "./hub";
import { realtime } from "../index";
import type { ResetReason } from "../protocol";
import { replay } from "./replay";
import { WebStreamSink, type Sink } from "./sinks";
import { StreamSubscriber } from "./subscriber";

const RETRY_MS = 2_000;
const RETRY: Frame[] = [controlFrame(`retry: ${RETRY_MS}\n\n`)];

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform also keeps compression from buffering the stream.
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};

export type StreamRequest = {
  userId: string;
  /** The `sessions` row the stream was opened with: revoking it ends the stream. */
  sessionId?: string;
  /** Or the signing key of the subscriber token it was opened with: deleting the key ends it. */
  signingKey?: string;
  /** From the Last-Event-ID header or ?lastEventId=; null on a first connect. */
  lastEventId: string | null;
  /** Epoch ms when the session (or subscriber token) ends, Infinity if unknown: the stream ends then, at the latest. */
  sessionExpiresAt: number;
};

/** A stream's maximum lifetime; the client then reconnects and is authenticated again. */
function deadlineFor(req: StreamRequest) {
  const seconds = env().HERALD_STREAM_MAX_AGE_S;
  // Up to 10% earlier, so streams opened together do not all reconnect in the same second.
  return Math.min(Date.now() + seconds * 1000 * (0.9 + Math.random() * 0.1), req.sessionExpiresAt);
}

/**
 * Registers a stream with the process hub and starts it: `retry:`, then the replay of what the
 * client missed (or `sync.reset`), then `ready`, then live events. The caller wires the client's
 * disconnect to `gone()`.
 */
export function attachStream(req: StreamRequest, sink: Sink): StreamSubscriber {
  const { hub } = realtime();
  const deadline = deadlineFor(req);
  const sub = new StreamSubscriber(req.userId, deadline, sink, hub);
  sub.sessionId = req.sessionId;
  if (req.signingKey) {
    sub.signingKey = req.signingKey;
    // The client must fetch a fresh token before it reconnects.
    if (deadline === req.sessionExpiresAt) sub.deadlineReason = "token-expired";
    realtime().signingKeys.watch(sub);
  }
  if (hub.draining) {
    // Shutting down: come back at once, and somewhere else if the proxy has another instance.
    sub.writeStartup(RETRY);
    sub.close("restarting");
    return sub;
  }
  hub.subscribe(sub);
  sub.writeStartup(RETRY);
  startUp(sub, hub, req.userId, req.lastEventId).catch((err) => {
    // A client that left during start-up (its user's last stream: the join is abandoned) is no failure.
    if (!sub.isClosed) logError("stream start-up failed", err);
    sub.close();
  });
  return sub;
}

async function startUp(sub: StreamSubscriber, hub: Hub, userId: string, lastEventId: string | null) {
  // Everything up to the watermark is in the table, everything after it will be published to this
  // subscriber (it is registered already), so replaying up to it leaves no gap.
  const watermark = await hub.joined(userId);
  const plan = planResume(userId, lastEventId, watermark);
  let reset: ResetReason | null = plan.kind === "reset" ? plan.reason : null;
  if (plan.kind === "replay" && plan.from < watermark) {
    const outcome = await replay(sub, userId, plan.from, watermark);
    if (outcome === "closed") return;
    if (outcome !== "done") reset = outcome;
  }
  const frames: Frame[] = [];
  // Never a silent empty replay: the client refetches, and resumes from here next time.
  if (reset) {
    metrics().resets.inc({ reason: reset });
    frames.push({ seq: 0, bytes: sseFrame("sync.reset", { reason: reset }, encodeCursor(userId, watermark)) });
  }
  frames.push({ seq: 0, bytes: sseFrame("ready", { at: new Date().toISOString() }, encodeCursor(userId, watermark)) });
  sub.writeStartup(frames);
  sub.goLive(watermark);
}

/** The stream as a web Response, for the route handler. `signal` is checked synchronously. */
export function openNotificationStream(req: StreamRequest, signal: AbortSignal): Response {
  let sink: WebStreamSink | undefined;
  let sub: StreamSubscriber | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (signal.aborted) return controller.close();
        sink = new WebStreamSink(controller);
        const s = (sub = attachStream(req, sink));
        signal.addEventListener("abort", () => s.close(), { once: true });
      },
      pull: () => sink?.pull(),
      cancel() {
        sink?.cancel();
        sub?.gone();
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  return new Response(stream, { headers: SSE_HEADERS });
}
