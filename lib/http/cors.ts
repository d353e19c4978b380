import "server-only";
import { db } from "@/db";
import { anyAppAllowsOrigin } from "@/db/queries/apps";

/**
 * CORS for the routes a host page calls with a subscriber token. Only origins some app lists are
 * answered, each echoed (never `*`), and never with credentials: cookies do not count cross-origin.
 */
export const CORS_ALLOWED_HEADERS = "authorization, content-type, last-event-id, idempotency-key";
export const CORS_EXPOSED_HEADERS = "retry-after, x-request-id";
export const CORS_MAX_AGE_S = 600;

/** The request's Origin when a browser sent one that is not the page's own site. */
export const crossOrigin = (request: Request) => crossOriginOf(request.headers.get("origin"), request.headers.get("host"));

export function crossOriginOf(origin: string | null | undefined, host: string | null | undefined): string | null {
  if (!origin || origin === "null") return null;
  try {
    if (host && new URL(origin).host === host) return null;
  } catch {
    return origin;
  }
  return origin;
}

export function corsHeaders(origin: string): Record<string, string> {
  return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": CORS_EXPOSED_HEADERS, Vary: "Origin" };
}

/** Copies the response with CORS headers for `origin` added. */
export function withCors(response: Response, origin: string): Response {
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(corsHeaders(origin))) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Adds CORS headers when some app allows the request's origin (so a host page can read an error). */
export async function corsForAnyApp(request: Request, response: Response): Promise<Response> {
  const origin = crossOrigin(request);
  if (!origin || !(await anyAppAllowsOrigin(db, origin))) return response;
  return withCors(response, origin);
}

/** A preflight: 204, with CORS headers only for an origin some app allows. */
export async function preflight(request: Request, allow: string): Promise<Response> {
  const origin = request.headers.get("origin");
  const headers: Record<string, string> = { Allow: allow, Vary: "Origin" };
  if (origin && origin !== "null" && (await anyAppAllowsOrigin(db, origin))) {
    Object.assign(headers, {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Methods": allow,
      "Access-Control-Allow-Headers": CORS_ALLOWED_HEADERS,
      "Access-Control-Max-Age": String(CORS_MAX_AGE_S),
    });
  }
  return new Response(null, { status: 204, headers });
}
