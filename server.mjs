#!/usr/bin/env node
// Herald's HTTP server: Next.js's documented custom-server seam (`next()` + getRequestHandler()),
// with the request hooks the app registers (lib/http/request-hooks.mjs) run first. They serve the
// live stream on Node directly, answer TRACE & co with a JSON 405 and record the client address;
// everything else goes to Next untouched. `npm start` and `npm run dev` run this through
// scripts/run.mjs (which provides the database); on its own it needs the environment set.
//   node server.mjs [--dev] [--port 3000] [--hostname 0.0.0.0]   (or PORT and HOST; no host: every interface)
import { randomUUID } from "node:crypto";
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { serveRequestHooks } from "./lib/http/request-hooks.mjs";
import { routeLabel } from "./lib/http/route-label.mjs";
import { runShutdown } from "./lib/http/shutdown.mjs";
import { log, requestContext, withRequestContext } from "./lib/logging/logger.mjs";

const { values } = parseArgs({
  options: { dev: { type: "boolean", default: false }, port: { type: "string" }, hostname: { type: "string" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? (process.env.HOST || undefined);

const app = next({ dev: values.dev, dir: import.meta.dirname, port, hostname: hostname ?? "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

const hooks = serveRequestHooks();
const REQUEST_ID = /^[\w.:-]{1,64}$/;
const server = http.createServer((req, res) => {
  // Each request has an id (the proxy's X-Request-Id when it sends a sane one), returned to the
  // client and on every line logged while serving it; one line when it ends, without its query.
  const given = req.headers["x-request-id"];
  const reqId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  const route = routeLabel(req.url);
  const started = performance.now();
  res.setHeader("X-Request-Id", reqId);
  withRequestContext({ reqId, route }, () => {
    // 'close' may fire outside the request's async context (a stream the client left): its line
    // names the request from the context object itself.
    const context = requestContext();
    res.once("close", () => {
      const fields = {
        reqId,
        route,
        ...(context?.userId ? { userId: context.userId } : {}),
        method: req.method,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (route === "/_next/[...path]") log().debug(fields, "request");
      else log().info(fields, "request");
    });
    if (hooks(req, res)) return;
    void handle(req, res);
  });
});
if (values.dev) server.on("upgrade", app.getUpgradeHandler());
server.listen(port, hostname, () => {
  log().info({ url: `http://${hostname ?? "localhost"}:${port}`, dev: values.dev }, `ready on http://${hostname ?? "localhost"}:${port}${values.dev ? " (development)" : ""}`);
});

// SIGTERM: stop accepting, let the app drain (health 503, streams told to resume elsewhere), let
// the requests in flight finish for up to SHUTDOWN_GRACE_MS, then close what is left and exit.
const SHUTDOWN_GRACE_MS = 10_000;
let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  const closed = new Promise((resolve) => server.close(resolve));
  // Keep-alive connections between requests are closed as they go idle, so none takes a new one.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  const drained = await runShutdown("drain");
  const late = await Promise.race([closed.then(() => false), new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS, true))]);
  clearInterval(idle);
  server.closeAllConnections();
  const failed = [...drained, ...(await runShutdown("close"))];
  await app.close?.();
  for (const f of failed) log().error({ hook: f.hook, error: f.error instanceof Error ? f.error.name : typeof f.error }, "shutdown step failed");
  log().info({ signal, ms: Date.now() - started, cut: late }, `${signal}: stopped in ${Date.now() - started} ms${late ? " (grace period over: connections cut)" : ""}`);
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
