// Hooks that see a request before Next.js does, run by Herald's server (server.mjs) in front of
// Next's request handler. The app registers them from instrumentation (bundled by Next), the server
// runs them (plain Node): both reach the same registry through a global symbol, since the two load
// separate copies of this module.
//
// Three use it: the client address for per-IP limits (lib/http/client-ip.ts), a JSON 405 for
// methods Next cannot route (lib/http/method-guard.ts), and the live stream served on Node directly
// (lib/realtime/stream/node-sse.ts). Hooks run in the order they were added; a name added again (a dev
// reload) replaces its hook in place.

const KEY = Symbol.for("herald.requestHooks");

function registry() {
  const g = globalThis;
  g[KEY] ??= { hooks: new Map(), served: false };
  return g[KEY];
}

export function addRequestHook(name, hook) {
  registry().hooks.set(name, hook);
}

/** Whether this process's HTTP server runs the hooks (false under a plain `next start`). */
export function requestHooksServed() {
  return registry().served;
}

/** For the server: returns a function that runs the hooks, true when one answered the request. */
export function serveRequestHooks() {
  const r = registry();
  r.served = true;
  return (req, res) => {
    for (const hook of r.hooks.values()) if (hook(req, res)) return true;
    return false;
  };
}
