#!/usr/bin/env node
// Herald's HTTP server: Next.js's documented custom-server seam (`next()` + getRequestHandler()),
// with the request hooks the app registers (lib/http/request-hooks.mjs) run first. They serve the
// live stream on Node directly, answer TRACE & co with a JSON 405 and record the client address;
// everything else goes to Next untouched. `npm start` and `npm run dev` run this through
// scripts/run.mjs (which provides the database); on its own it needs the environment set.
//   node server.mjs [--dev] [--port 3000] [--hostname 0.0.0.0]
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { serveRequestHooks } from "./lib/http/request-hooks.mjs";
import { runShutdown } from "./lib/http/shutdown.mjs";

const { values } = parseArgs({
  options: { dev: { type: "boolean", default: false }, port: { type: "string" }, hostname: { type: "string" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname;

const app = next({ dev: values.dev, dir: import.meta.dirname, port, hostname: hostname ?? "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

const hooks = serveRequestHooks();
const server = http.createServer((req, res) => {
  if (hooks(req, res)) return;
  void handle(req, res);
});
if (values.dev) server.on("upgrade", app.getUpgradeHandler());
server.listen(port, hostname, () => {
  console.log(`[herald] ready on http://${hostname ?? "localhost"}:${port}${values.dev ? " (development)" : ""}`);
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
  for (const f of failed) console.error(`[herald] shutdown: ${f.hook} failed`, f.error instanceof Error ? f.error.name : typeof f.error);
  console.log(`[herald] ${signal}: stopped in ${Date.now() - started} ms${late ? " (grace period over: connections cut)" : ""}`);
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
