import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { operations } from "@/lib/openapi/document";
import { allowHeader } from "./allow";
import { addRequestHook } from "./request-hooks.mjs";

/** The methods Next.js hands to route handlers and pages; endpoint() answers the ones a route lacks. */
const ROUTABLE = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]);

/**
 * Answers methods Next.js cannot route (TRACE above all) with a JSON 405 and `Allow`, before Next
 * sees them. Next builds a WHATWG Request for every request it routes, and `new Request()` throws on
 * TRACE (a forbidden method), so no route handler, catch-all or proxy.ts is ever reached: Next answers
 * a text/plain 500. Other unknown methods (PROPFIND…) get an empty 400 from Next; 405 is the truth.
 * It runs as a request hook (lib/http/request-hooks.mjs), before Next sees the request.
 */
export function installMethodGuard() {
  addRequestHook("method-guard", (req, res) => {
    if (!req.method || ROUTABLE.has(req.method)) return false;
    refuse(req, res);
    return true;
  });
}

let table: { pattern: RegExp; params: number; allow: string }[] | undefined;

/** The documented paths (a test checks them against the route files) as patterns, static ones first. */
function routes() {
  if (table) return table;
  const methods = new Map<string, string[]>();
  for (const op of operations) methods.set(op.path, [...(methods.get(op.path) ?? []), op.method.toUpperCase()]);
  table = [...methods]
    .map(([path, m]) => ({
      pattern: new RegExp(`^${path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
      params: (path.match(/\{/g) ?? []).length,
      allow: allowHeader(m),
    }))
    .sort((a, b) => a.params - b.params);
  return table;
}

/** What `Allow` says for a path: its route's methods, Auth.js's GET/POST, or a page's; null for no API path. */
export function allowedOn(pathname: string): string | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const route = routes().find((r) => r.pattern.test(path));
  if (route) return route.allow;
  if (path === "/api/auth" || path.startsWith("/api/auth/")) return allowHeader(["GET", "POST"]);
  if (path === "/api" || path.startsWith("/api/")) return null;
  return "GET, HEAD, POST"; // pages (POST: server actions)
}

function refuse(req: IncomingMessage, res: ServerResponse) {
  req.resume(); // a body, if any, is not read
  let pathname = "/";
  try {
    pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {}
  const allow = allowedOn(pathname);
  const error =
    allow === null
      ? { code: "not_found", message: `No API endpoint at ${pathname}; see /api/openapi.json` }
      : { code: "method_not_allowed", message: `${req.method} is not supported here; use ${allow.replace(/, /g, " or ")}` };
  const body = JSON.stringify({ error });
  res.writeHead(allow === null ? 404 : 405, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    ...(allow === null ? {} : { Allow: allow }),
  });
  res.end(body);
}
