import type { IncomingMessage } from "node:http";
import net from "node:net";
import { env } from "@/lib/env";
import { addRequestHook, requestHooksServed } from "./request-hooks.mjs";

/**
 * The client's address, for per-IP limits. Next only *fills in*
 * X-Forwarded-For from the socket when the client did not send one (`??=`), so that header is
 * whatever the client says. The socket's address never reaches a route handler or server action
 * otherwise (Next 15 dropped `request.ip`), so we read it where it is: in a request hook run by our
 * server before Next (lib/http/request-hooks.mjs), and put the resolved address in a header of our own,
 * replacing any value a client sent for it.
 *
 * HERALD_TRUSTED_PROXIES (default 0) is how many reverse proxies in front of the app append to
 * X-Forwarded-For. 0: the socket's address, X-Forwarded-For ignored. N: the N-th address from the
 * right of X-Forwarded-For + the socket's address (as Express's `trust proxy = N`). Only set it when
 * clients cannot reach the app except through those proxies.
 */
const HEADER = "x-herald-client-ip";
const HOOK = "client-ip";

function resolve(req: IncomingMessage, hops: number) {
  const socket = req.socket.remoteAddress ?? "";
  if (hops === 0) return socket;
  const forwarded = req.headers["x-forwarded-for"];
  const list = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  const chain = [...list, socket];
  return chain[Math.max(0, chain.length - 1 - hops)];
}

export function installClientIp() {
  const hops = env().HERALD_TRUSTED_PROXIES;
  addRequestHook(HOOK, (req) => {
    req.headers[HEADER] = resolve(req, hops);
    return false;
  });
}

/**
 * The key to count a client under: its IPv4 address, or its IPv6 /64 (one subscriber usually has a
 * whole /64). Null when unknown (not served by server.mjs, e.g. a plain `next start`): per-IP limits are
 * then skipped rather than trusting a header the client may have written.
 */
export function clientIpKey(headers: Headers): string | null {
  if (!requestHooksServed()) return null;
  const raw = headers.get(HEADER)?.split("%")[0];
  if (!raw) return null;
  if (raw.startsWith("::ffff:") && net.isIPv4(raw.slice(7))) return raw.slice(7);
  if (net.isIPv4(raw)) return raw;
  if (net.isIPv6(raw)) return prefix64(raw);
  return null;
}

function prefix64(ip: string) {
  const double = ip.indexOf("::");
  let groups: string[];
  if (double < 0) groups = ip.split(":");
  else {
    const head = ip.slice(0, double).split(":").filter(Boolean);
    const tail = ip.slice(double + 2).split(":").filter(Boolean);
    groups = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill("0"), ...tail];
  }
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(":")}::/64`;
}
