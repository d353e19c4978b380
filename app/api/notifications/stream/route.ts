import { endpoint } from "@/lib/http/endpoint";
import { errorResponse } from "@/lib/http/respond";
import { unauthorized } from "@/lib/errors";
import { streamSession } from "@/lib/realtime/session";
import { openNotificationStream } from "@/lib/realtime/stream";

export const dynamic = "force-dynamic";

/**
 * The live stream. Resumes after the cursor in `Last-Event-ID` (sent by EventSource's own reconnects)
 * or `?lastEventId=` (for a first connect, e.g. a tab taking over the shared stream).
 */
async function stream(request: Request) {
  const session = await streamSession(request.headers);
  if (!session) return errorResponse(unauthorized());
  const lastEventId = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  return openNotificationStream(
    { userId: session.userId, sessionId: session.sessionId, lastEventId, sessionExpiresAt: session.expiresAt },
    request.signal,
  );
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({ GET: stream });
