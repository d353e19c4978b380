import { personEndpoint } from "@/lib/http/endpoint";
import { errorResponse } from "@/lib/http/respond";
import { withCors } from "@/lib/http/cors";
import { authenticateStream } from "@/lib/realtime/stream/session";
import { openNotificationStream } from "@/lib/realtime/stream/stream";

export const dynamic = "force-dynamic";

/**
 * The live stream. Resumes after the cursor in `Last-Event-ID` (sent by EventSource's own reconnects)
 * or `?lastEventId=` (for a first connect, e.g. a tab taking over the shared stream). A host page
 * opens it with a subscriber token in `Authorization` (fetch-based SSE).
 */
async function stream(request: Request) {
  const auth = await authenticateStream(request.headers);
  const cors = (response: Response) => (auth.cors ? withCors(response, auth.cors) : response);
  if (!auth.ok) return cors(errorResponse(auth.error));
  const { session } = auth;
  const lastEventId = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  return cors(
    openNotificationStream(
      { userId: session.userId, sessionId: session.sessionId, signingKey: session.signingKey, lastEventId, sessionExpiresAt: session.expiresAt },
      request.signal,
    ),
  );
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint({ GET: stream });
