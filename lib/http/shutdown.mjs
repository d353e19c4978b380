// A graceful stop, in two phases, for Herald's server (server.mjs) and the app it runs. The app
// registers what each phase does from instrumentation (bundled by Next); the server runs the phases
// on SIGTERM (plain Node): both reach the same registry through a global symbol, like the request
// hooks (request-hooks.mjs).
//
//   drain: the server has stopped accepting connections; health answers 503 "draining" so a proxy
//          moves on, streams end with `stream.closed {reason: "restarting"}` so browsers resume
//          elsewhere from their last event id, and requests in flight run to their end.
//   close: after the requests in flight (or the grace period): job workers, change feed, pool.

const KEY = Symbol.for("herald.shutdown");

function registry() {
  const g = globalThis;
  g[KEY] ??= { draining: false, drain: new Map(), close: new Map() };
  return g[KEY];
}

/** `phase` "drain" or "close"; a name added again (a dev reload) replaces its hook. */
export function onShutdown(phase, name, hook) {
  registry()[phase].set(name, hook);
}

/** Whether this process is shutting down (health says so; new streams are turned away). */
export function isDraining() {
  return registry().draining;
}

/** Runs one phase's hooks together; a failing hook is reported and does not stop the others. */
export async function runShutdown(phase) {
  const r = registry();
  if (phase === "drain") r.draining = true;
  const results = await Promise.allSettled([...r[phase].entries()].map(async ([name, hook]) => [name, await hook()]));
  return results.flatMap((res, i) => (res.status === "rejected" ? [{ hook: [...r[phase].keys()][i], error: res.reason }] : []));
}
