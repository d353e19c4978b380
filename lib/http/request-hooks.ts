import "server-only";
import http, { type IncomingMessage, type ServerResponse } from "node:http";

/** Sees a request before Next.js does; returns true when it answered the request itself. */
export type RequestHook = (req: IncomingMessage, res: ServerResponse) => boolean;

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
type Proto = Record<PropertyKey, unknown> & { emit: Emit };
const REGISTRY = Symbol.for("herald.requestHooks");

/**
 * The one place that wraps http.Server's `emit`. Under `next start` it is the only seam before
 * Next's router: Next creates its server before instrumentation runs and offers no hook of its own
 * there. Three things need it: the client address for per-IP limits (lib/http/client-ip.ts), a JSON
 * 405 for methods Next cannot route (lib/http/method-guard.ts), and the live stream served on Node
 * directly (lib/realtime/node-sse.ts). Hooks run in the order they were added; a name added again
 * (a dev reload) replaces its hook in place.
 */
export function addRequestHook(name: string, hook: RequestHook) {
  const proto = http.Server.prototype as unknown as Proto;
  let hooks = proto[REGISTRY] as Map<string, RequestHook> | undefined;
  if (!hooks) {
    const registry = new Map<string, RequestHook>();
    hooks = registry;
    proto[REGISTRY] = registry;
    const emit = proto.emit;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const [req, res] = args as [IncomingMessage, ServerResponse];
        for (const h of registry.values()) if (h(req, res)) return true;
      }
      return emit.call(this, event, ...args);
    };
  }
  hooks.set(name, hook);
}

export function hasRequestHook(name: string) {
  return ((http.Server.prototype as unknown as Proto)[REGISTRY] as Map<string, RequestHook> | undefined)?.has(name) ?? false;
}
