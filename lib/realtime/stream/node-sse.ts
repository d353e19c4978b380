import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { addRequestHook } from "@/lib/http/request-hooks.mjs";
import { logError } from "@/lib/logging/log-error.mjs";
import { corsHeaders } from "@/lib/http/cors";
import { authenticateStream } from "./session";
import { NodeResponseSink } from "./sinks";
import { attachStream, SSE_HEADERS } from "./stream";

const PATH = "/api/notifications/stream";

/**
 * Serves GET /api/notifications/stream on Node's HTTP server directly (server.mjs), before Next's
 * router sees it.
 *
 * Why: a stream lives for minutes and there are many. Through an App Router route handler each one
 * keeps Next's per-request machinery alive (web Request/Response, AbortSignal, cookies and async
 * storage contexts, the pipe into the Node response): ~60-140 KB per connection measured here, vs
 * ~10 KB for a plain Node response. Everything else (auth by the same Auth.js session token, replay,
 * the hub) is the same code as the route handler, which stays as the fallback: under a plain
 * `next start`, other runtimes, or with HERALD_SSE_FAST_PATH=0.
 *
 * How: a request hook (lib/http/request-hooks.mjs) takes the requests for this one path; every
 * other request goes to Next untouched.
 * Next's proxy (middleware) does not run for this path: anything a future proxy.ts must enforce on the
 * stream belongs here too (or set HERALD_SSE_FAST_PATH=0).
 */
export function installSseFastPath() {
  addRequestHook("sse-fast-path", (req, res) => {
    if (req.method !== "GET" || !isStreamPath(req.url)) return false;
    void serve(req, res);
    return true;
  });
}

function isStreamPath(url: string | undefined) {
  return url !== undefined && url.startsWith(PATH) && (url.length === PATH.length || url[PATH.length] === "?");
}

function lastEventIdOf(req: IncomingMessage) {
  const header = req.headers["last-event-id"];
  if (typeof header === "string") return header;
  const query = req.url!.indexOf("?");
  return query < 0 ? null : new URLSearchParams(req.url!.slice(query + 1)).get("lastEventId");
}

async function serve(req: IncomingMessage, res: ServerResponse) {
  try {
    const auth = await authenticateStream(req.headers);
    if (res.destroyed) return;
    const cors = auth.cors ? corsHeaders(auth.cors) : {};
    if (!auth.ok) {
      res.writeHead(auth.error.status, { "Content-Type": "application/json", "Cache-Control": "no-store", ...auth.error.headers, ...cors });
      res.end(JSON.stringify({ error: { code: auth.error.code, message: auth.error.message } }));
      return;
    }
    const { session } = auth;
    res.writeHead(200, { ...SSE_HEADERS, ...cors });
    const sub = attachStream(
      { userId: session.userId, sessionId: session.sessionId, signingKey: session.signingKey, lastEventId: lastEventIdOf(req), sessionExpiresAt: session.expiresAt },
      new NodeResponseSink(res),
    );
    res.once("close", () => sub.gone());
  } catch (err) {
    logError("stream failed to start", err);
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
    res.end();
  }
}
