import "server-only";
import { sseFrame } from "./hub";
import { realtime } from "./listener";

/** Bytes a client may fall behind by before we drop it (it resumes from Last-Event-ID). */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RETRY_MS = 2_000;
const encoder = new TextEncoder();

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform also keeps compression from buffering the stream.
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
};

/**
 * An SSE response for one user, registered with the process hub until the client goes away.
 * `signal` is the request's abort signal, checked synchronously so no subscriber is ever leaked.
 */
export function openNotificationStream(userId: string, signal: AbortSignal): Response {
  const { hub } = realtime();
  let unsubscribe: (() => void) | undefined;
  let closed = false;

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const close = () => {
          if (closed) return;
          closed = true;
          unsubscribe?.();
          try {
            controller.close();
          } catch {}
        };
        if (signal.aborted) return close();
        signal.addEventListener("abort", close, { once: true });
        unsubscribe = hub.subscribe({
          userId,
          write(frame) {
            if (closed) return false;
            // desiredSize goes negative by what is queued and unread: a client that stops reading
            // is cut off instead of growing server memory without bound.
            if ((controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) {
              close();
              return false;
            }
            controller.enqueue(frame);
            return true;
          },
          close,
        });
        controller.enqueue(encoder.encode(`retry: ${RETRY_MS}\n\n`));
        controller.enqueue(sseFrame("ready", { at: new Date().toISOString() }));
      },
      cancel() {
        closed = true;
        unsubscribe?.();
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  return new Response(stream, { headers: SSE_HEADERS });
}
