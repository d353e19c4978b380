#!/usr/bin/env node
// `npm run bench`: starts its own PostgreSQL and production server, measures every row of
// BENCHMARKS.md in one run, and writes that file. Loopback only, every loop bounded; the whole run
// is killed if it takes longer than 15 minutes. Not part of `npm test`. Also writes bench/results.json
// (every figure under a stable id, `{value, unit}`). `npm run bench -- --quick` runs every scenario at
// a tenth of the size and duration (a smoke test of the harness; its figures are not the goals').
//   HERALD_BENCH_PORT (3200)  HERALD_BENCH_PG_PORT (25459)  AUTH_SECRET (from .data/secrets.json)
//   HERALD_BENCH_NODE_ARGS: extra node flags for the server (profiling: "--cpu-prof --cpu-prof-dir=DIR")
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfStale } from "../scripts/run.mjs";
import { ROOT, localSecrets } from "../scripts/lib/setup.mjs";
import { AppServer, METRICS_TOKEN, Writer, connect, createUsers, sleep, startDatabase } from "./lib/env.mjs";
import { insertRate, prepareRawTables } from "./lib/raw.mjs";
import { renderReport, resultsJson } from "./lib/report.mjs";
import { webhookBurst } from "./lib/webhooks.mjs";
import { broadcast, catchUp, connectClients, connections, fanOut, httpRates, latency, polling, rawThroughput, throughput } from "./lib/scenarios.mjs";

const PORT = Number(process.env.HERALD_BENCH_PORT ?? 3200);
const PG_PORT = Number(process.env.HERALD_BENCH_PG_PORT ?? 25459);
const QUICK = process.argv.includes("--quick");
// `--only=webhooks`: that scenario alone, printed, nothing written (its row's figure for a quick look).
const ONLY = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const USERS = QUICK ? 1_000 : 10_000;
const CONNECTED = USERS / 10;
/** Seconds each timed scenario runs. */
const secs = (full) => (QUICK ? Math.max(1, Math.round(full / 5)) : full);
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

const cleanups = [];
const watchdog = setTimeout(async () => {
  console.error("[bench] over 15 minutes: giving up");
  for (const c of cleanups.reverse()) await c().catch(() => {});
  process.exit(2);
}, 15 * 60_000);

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  log(`database on 127.0.0.1:${PG_PORT}, server on 127.0.0.1:${PORT}`);
  const { pg, url, authSecret } = await startDatabase(PG_PORT);
  cleanups.push(() => pg.stop());
  const sql = connect(url, 8);
  cleanups.push(() => sql.end({ timeout: 1 }));
  const [{ version }] = await sql`select current_setting('server_version') as version`;
  await buildIfStale({ ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
  log(`creating ${USERS} users and their session tokens`);
  const users = await createUsers(sql, ONLY ? 10 : USERS, authSecret);
  // The first user is the admin the webhook scenario creates its app as.
  await sql`update users set email_verified_at = now() where id = ${users.ids[0]}`;
  await prepareRawTables(sql);

  // The fan-out scenario opens USERS streams of one user: lift the per-user cap (default 20) for it.
  // VAPID keys: the trivial route of the HTTP baseline answers its public key.
  const { vapidPublicKey, vapidPrivateKey } = localSecrets();
  const appEnv = {
    DATABASE_URL: url,
    AUTH_SECRET: authSecret,
    HERALD_MAX_STREAMS_PER_USER: String(USERS + 100),
    VAPID_PUBLIC_KEY: vapidPublicKey,
    VAPID_PRIVATE_KEY: vapidPrivateKey,
    HERALD_METRICS_TOKEN: METRICS_TOKEN,
    HERALD_ADMIN_EMAILS: "bench1@bench.example",
    // The webhook receiver is on loopback, over http.
    HERALD_WEBHOOK_ALLOW_PRIVATE: "true",
  };
  let server = await AppServer.start({ port: PORT, env: appEnv });
  cleanups.push(() => server.stop());
  const writer = await Writer.start({ ...appEnv, DATABASE_POOL_MAX: "32" });
  cleanups.push(async () => writer.stop());
  const ctx = { server, sql, url, users, writer, port: PORT, connected: users.ids.slice(0, CONNECTED), onCreated: () => {} };
  const health = await server.health();
  const r = { startedAt, loadBefore, pgVersion: version, connectedCount: CONNECTED, users: USERS, quick: QUICK, deliveryPath: health.realtime?.path ?? "unknown", deliveryPathReason: health.realtime?.pathReason ?? null };
  log(`delivery path: ${r.deliveryPath}${QUICK ? " (quick run: a tenth of the size)" : ""}`);
  if (ONLY === "webhooks") {
    log("webhooks: a burst of 10,000 events, the server killed once in the middle");
    const burst = await webhookBurst(ctx, { env: appEnv });
    await ctx.server.stop();
    log("  webhooks:", burst);
    return;
  }

  log("raw INSERT ceiling (postgres.js, no app)");
  const some = users.ids.slice(0, CONNECTED);
  r.raw = {};
  for (const writers of [8, 32]) {
    for (const [key, table, connection] of [
      ["plain", "bench_plain", {}],
      ["trigger", "notifications", {}],
      ["rowLevel", "bench_rowlevel", {}],
      ["triggerAsync", "notifications", { synchronous_commit: "off" }],
    ]) {
      r.raw[`${key}${writers}`] = (await insertRate(url, { table, writers, seconds: secs(4), users: some, connection })).rate;
      log(`  ${key} x${writers}: ${r.raw[`${key}${writers}`]}/s`);
    }
  }

  log(`connecting ${CONNECTED} SSE clients`);
  const { clients } = await connectClients(ctx, 0, CONNECTED);
  for (const writers of [8, 32]) {
    r[`e2e${writers}`] = await throughput(ctx, writers, secs(5));
    log(`  e2e x${writers}:`, r[`e2e${writers}`]);
  }
  r.rawE2e32 = await rawThroughput(ctx, 32, secs(5));
  log("  raw INSERT writers x32 -> clients:", r.rawE2e32);
  r.latency = await latency(ctx, QUICK ? 100 : 1000, secs(5));
  log("  latency at 1,000/s:", r.latency);
  r.catchUp = await catchUp(ctx, CONNECTED + 500, { missed: USERS / 10, rounds: QUICK ? 1 : 3 });
  log(`  catch-up of ${r.catchUp.missed}:`, r.catchUp);
  r.catchUpLarge = await catchUp(ctx, CONNECTED + 501, { missed: USERS, rounds: 1 });
  log(`  catch-up of ${r.catchUpLarge.missed}:`, r.catchUpLarge);
  clients.closeAll();
  await sleep(2000);

  log(`polling instead: ${CONNECTED} clients, GET every 2 s`);
  r.polling = await polling(ctx, QUICK ? 100 : 1000, secs(6));
  log("  polling:", r.polling);

  // Polling overloads the server: let it finish the polls it had queued before timing anything else.
  log(`  server settled in ${await server.settle()} ms`);

  log("HTTP: chat message POSTs against a trivial route handler");
  r.http = await httpRates(ctx, { pairs: USERS / 4, seconds: secs(5) });
  log("  http:", r.http);

  log("connections held by one process (a fresh server, so earlier phases' heap does not hide the cost)");
  await server.stop();
  server = ctx.server = await AppServer.start({ port: PORT, env: appEnv });
  const conns = await connections(ctx, [CONNECTED, USERS / 2, USERS]);
  r.connections = { baseMb: conns.baseMb, rows: conns.rows };
  log("  connections:", r.connections);
  r.broadcast = await broadcast(ctx, USERS);
  log("  broadcast:", r.broadcast);
  for (const c of conns.held) c.closeAll();
  await sleep(2000);
  r.fanOut = await fanOut(ctx, USERS);
  log("  one event to as many streams of one user:", r.fanOut);
  await server.stop();

  log("the same 1,000 connections through the route-handler fallback (HERALD_SSE_FAST_PATH=0)");
  server = ctx.server = await AppServer.start({ port: PORT, env: { ...appEnv, HERALD_SSE_FAST_PATH: "0" } });
  const fallback = await connections(ctx, [CONNECTED]);
  r.fallback = fallback.rows[0];
  for (const c of fallback.held) c.closeAll();
  log("  fallback:", r.fallback);
  await server.stop();

  log("webhooks: a burst of events, the server killed once in the middle");
  server = ctx.server = await AppServer.start({ port: PORT, env: appEnv });
  r.webhooks = await webhookBurst(ctx, { events: QUICK ? 1_000 : 10_000, env: appEnv });
  cleanups.push(() => ctx.server.stop());
  log("  webhooks:", r.webhooks);

  r.finishedAt = new Date();
  r.loadAfter = os.loadavg();
  const file = path.join(ROOT, "BENCHMARKS.md");
  writeFileSync(file, renderReport(r));
  writeFileSync(path.join(ROOT, "bench", "results.json"), `${JSON.stringify(resultsJson(r), null, 2)}\n`);
  log(`wrote ${file} in ${Math.round((r.finishedAt - startedAt) / 1000)} s`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    clearTimeout(watchdog);
  });
