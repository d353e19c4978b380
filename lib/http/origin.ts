import "server-only";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const refuse = (why: string) =>
  new AppError("forbidden", `Cross-site request refused: ${why}. Send it from this site (or use a service token on /api/v1)`);

const stripDefaultPort = (host: string) => host.toLowerCase().replace(/:(80|443)$/, "");

let configured: string[] | undefined;
/** The hosts of AUTH_URL and HERALD_ALLOWED_ORIGINS (validated as URLs by lib/env.ts), read once. */
function configuredHosts() {
  const { AUTH_URL, HERALD_ALLOWED_ORIGINS } = env();
  configured ??= [AUTH_URL, ...HERALD_ALLOWED_ORIGINS].filter((o): o is string => !!o).map((o) => stripDefaultPort(new URL(o).host));
  return configured;
}

/** Hosts this app answers on: the request's own Host (and a proxy's X-Forwarded-Host) plus configured origins. */
function allowedHosts(request: Request): Set<string> {
  const hosts = new Set<string>(configuredHosts());
  const host = request.headers.get("host");
  if (host) hosts.add(stripDefaultPort(host));
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (forwarded) hosts.add(stripDefaultPort(forwarded));
  return hosts;
}

/**
 * CSRF defence for cookie-authenticated route handlers (Next.js protects server actions, not route
 * handlers). Browsers always send Sec-Fetch-Site (secure contexts) or at least Origin on unsafe
 * requests, and page scripts cannot forge either, so:
 *   - Sec-Fetch-Site present: it must be `same-origin` (`same-site` would trust sibling subdomains);
 *   - otherwise Origin must be present and name this host.
 * A request with neither is refused: no browser sends one, and a non-browser client should use a token.
 */
export function assertSameOrigin(request: Request) {
  if (!UNSAFE_METHODS.has(request.method)) return;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null) {
    if (site === "same-origin") return;
    throw refuse(`Sec-Fetch-Site is ${site}`);
  }
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") throw refuse("the Origin header is missing");
  let host: string;
  try {
    host = stripDefaultPort(new URL(origin).host);
  } catch {
    throw refuse("the Origin header is malformed");
  }
  if (!host || !allowedHosts(request).has(host)) throw refuse(`Origin ${origin} is not this site`);
}
