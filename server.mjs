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

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  await app.close?.();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
