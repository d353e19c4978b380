import "server-only";
import { AppError } from "@/lib/errors";
import { allowHeader } from "./allow";
import { preflight } from "./cors";
import { errorResponse, type Handler } from "./respond";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/**
 * The full method table of a route file. Next.js answers a method a route does not export with an
 * empty 405; every API answer here is JSON, so the missing ones get `{error}` + `Allow`, and OPTIONS
 * lists only the real methods. Use as
 *   `export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({ GET: route(...) })`.
 */
export function endpoint<C = unknown>(handlers: Partial<Record<Method, Handler<C>>>, options: { cors?: boolean } = {}) {
  const implemented = METHODS.filter((m) => handlers[m]);
  const allow = allowHeader(implemented);
  const notAllowed: Handler<C> = async (request) =>
    errorResponse(
      new AppError("method_not_allowed", `${request.method} is not supported here; use ${implemented.join(" or ")}`, { headers: {
        Allow: allow,
      } }),
    );
  const table = {} as Record<Method | "OPTIONS", Handler<C>>;
  for (const m of METHODS) table[m] = handlers[m] ?? notAllowed;
  // A route host pages call with subscriber tokens answers their preflights (lib/http/cors.ts).
  table.OPTIONS = options.cors ? (request) => preflight(request, allow) : async () => new Response(null, { status: 204, headers: { Allow: allow } });
  return table;
}

/** The method table of a route a host page calls with subscriber tokens: it answers CORS preflights. */
export const personEndpoint = <C = unknown>(handlers: Partial<Record<Method, Handler<C>>>) => endpoint(handlers, { cors: true });
