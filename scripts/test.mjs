#!/usr/bin/env node
// `npm test`: the pure unit suite first (no database, no server); then the integration suite (vitest)
// and the browser suite (Playwright, Debian's Chromium) side by side, each against a stack of its
// own: a real PostgreSQL (embedded, a fresh database per run), a mail catcher and the real production
// server. Ends with the line `N passed, N failed` summed over every suite.
//   npm test -- --only=unit|integration|e2e      run one suite
//   npm test -- <vitest/playwright filters>
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { recreateDatabase } from "./lib/embedded-pg.mjs";
import { startMailCatcher } from "./lib/mail-catcher.mjs";
import { buildIfStale } from "./run.mjs";
import { ROOT, SERVER, localSecrets, runMigrations, startLocalPostgres } from "./lib/setup.mjs";

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith("--only="))?.slice(7);
const filters = args.filter((a) => !a.startsWith("--only="));
const OUT = path.join(ROOT, ".data", "test-results");
/** Admin accounts for the suites, each used by one test only (an e2e retry takes a new one). */
const TEST_ADMIN_EMAILS = Array.from({ length: 100 }, (_, i) => `admin-${i + 1}@admins.test.example`);

/** Runs a child; its output goes to ours, or to `output` (a function of each chunk) when given. */
function run(cmd, argv, env, output) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: output ? ["ignore", "pipe", "pipe"] : "inherit", env });
    child.stdout?.on("data", output);
    child.stderr?.on("data", output);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function waitForHealth(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("the test server exited during start-up");
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the test server did not become healthy within ${timeoutMs / 1000}s`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** Vitest with a JSON report; returns the suite's counts. */
async function vitest(config, file, env, output) {
  const code = await run(
    process.execPath,
    [path.join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "--config", config, "--passWithNoTests", "--reporter=default", "--reporter=json", `--outputFile=${file}`, ...filters],
    env,
    output,
  );
  const report = readJson(file);
  const passed = report?.numPassedTests ?? 0;
  const failed = report ? report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0) : 1;
  return { passed, failed, code };
}

/** The environment both stacks share: who is an admin, push keys, the test-only flags. */
function baseEnv() {
  const secrets = localSecrets();
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", AUTH_TRUST_HOST: "true" };
  env.AUTH_SECRET ??= secrets.authSecret;
  // Push is on, as under npm start (the delivery tests run their own instances with their own keys).
  env.VAPID_PUBLIC_KEY ??= secrets.vapidPublicKey;
  env.VAPID_PRIVATE_KEY ??= secrets.vapidPrivateKey;
  // The tests' push services listen on 127.0.0.1 (tests/support/push-service.ts); production never sets it.
  env.HERALD_PUSH_ALLOW_LOCAL = "true";
  // The tests' webhook receivers listen on 127.0.0.1 over http, and retries come a second apart.
  env.HERALD_WEBHOOK_ALLOW_PRIVATE = "true";
  env.HERALD_WEBHOOK_RETRY_SCHEDULE_S = "1,1,1,1,1,1,1";
  // Set, not defaulted: the suites need to know exactly who is an admin. Tests claim a fresh one
  // from the pool (tests/support/users.ts createAdminUser), the demo's alice stays one too.
  env.HERALD_METRICS_TOKEN ??= "test-metrics-token-0123456789abcdef";
  // ops@verify.test.example is listed but has no account: tests/email-verification.test.ts signs up as it.
  env.HERALD_ADMIN_EMAILS = ["alice@example.com", "ops@verify.test.example", ...TEST_ADMIN_EMAILS].join(",");
  // Every browser test signs up its people from 127.0.0.1; the throttle's own test uses other loopback addresses.
  env.RATE_LIMIT_SIGNUP_PER_IP ??= "100000";
  // Email goes to the stack's mail catcher, as under npm start, with a 2-second delay (e2e/email-push.spec.ts);
  // the delivery tests run instances of their own against a test SMTP server.
  env.HERALD_EMAIL_DELAY_S ??= "2";
  // Instances sample themselves every second, so the dashboard's tests see traffic promptly.
  env.HERALD_SAMPLE_INTERVAL_S ??= "1";
  return env;
}

/**
 * One stack for one suite: a fresh `herald_test` database (in an embedded PostgreSQL of its own, or
 * in DATABASE_URL's server), a mail catcher and the production server on `port`. The ports after it
 * are the suite's too: +1 a second instance, +2 a proxy, +3..+8 the delivery and restart tests' own.
 */
async function startStack(name, { env: shared, port, pgPort }) {
  const env = { ...shared };
  let embedded = null;
  if (!env.DATABASE_URL) {
    embedded = await startLocalPostgres(name === "integration" ? "pg-test" : `pg-test-${name}`, pgPort);
    await recreateDatabase(embedded.adminUrl, "herald_test");
    env.DATABASE_URL = embedded.url.replace(/\/postgres$/, "/herald_test");
    env.HERALD_TEST_ADMIN_URL = embedded.adminUrl;
    // For the tests that restart PostgreSQL (tests/delivery-faults.test.ts).
    env.HERALD_TEST_PG_DATA = embedded.dataDir;
    env.HERALD_TEST_PG_CTL = embedded.pgCtl;
  }
  await runMigrations(env.DATABASE_URL);
  env.HERALD_TEST_PORT = String(port);
  env.HERALD_BASE_URL = `http://127.0.0.1:${port}`;
  // The scale-out test starts a second instance on the next port, and a TCP proxy on the one after.
  env.HERALD_TEST_PORT_B = String(port + 1);
  env.HERALD_TEST_PROXY_PORT = String(port + 2);
  // The embeddable inbox's second site (examples/host-app), outside the stack's p..p+5.
  env.HERALD_TEST_HOST_APP_PORT = String(port + 7);
  const catcher = await startMailCatcher({ port: port + 5, dir: path.join(OUT, name === "integration" ? "mail" : `mail-${name}`) });
  env.SMTP_URL = catcher.url;
  env.HERALD_DEV_MAIL_DIR = catcher.dir;
  // The whole server log, for tests that check what it holds (tests/logging.test.ts).
  env.HERALD_TEST_SERVER_LOG = path.join(OUT, name === "integration" ? "server.log" : `server-${name}.log`);
  const server = spawn(process.execPath, [SERVER, "--port", String(port), "--hostname", "127.0.0.1"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const tail = [];
  const keep = (chunk) => {
    appendFileSync(env.HERALD_TEST_SERVER_LOG, chunk);
    tail.push(chunk.toString());
    if (tail.length > 500) tail.shift();
  };
  // For the tests that measure the server's memory (tests/delivery-memory.test.ts); set after the spawn.
  env.HERALD_TEST_SERVER_PID = String(server.pid);
  server.stdout.on("data", keep);
  server.stderr.on("data", keep);
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
    }
    await catcher.close();
    if (embedded) await embedded.stop();
  };
  try {
    await waitForHealth(env.HERALD_BASE_URL, server);
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, env, stop, lastLog: () => tail.join("").split("\n").slice(-60).join("\n") };
}

/** Two files at a time, then the ones that must run alone (vitest.config.ts SERIAL_FILES). */
async function integration(stack, output) {
  const result = { passed: 0, failed: 0, code: 0 };
  for (const [file, serial] of [["vitest.json", "0"], ["vitest-serial.json", "1"]]) {
    const r = await vitest("vitest.config.ts", path.join(OUT, file), { ...stack.env, HERALD_TEST_SERIAL: serial }, output);
    result.passed += r.passed;
    result.failed += r.failed;
    if (r.code !== 0) result.code = 1;
  }
  return result;
}

/**
 * `gate`: the integration suite runs at the same time. Two workers, of which one runs while the gate
 * file exists, both once the integration suite has finished and removed it (e2e/gate.ts).
 */
async function e2e(stack, output, gate) {
  const file = path.join(OUT, "playwright.json");
  const argv = [path.join(ROOT, "node_modules", "@playwright", "test", "cli.js"), "test", ...(gate ? ["--workers=2"] : []), ...filters];
  const env = { ...stack.env, PLAYWRIGHT_JSON_OUTPUT_NAME: file, ...(gate ? { HERALD_E2E_GATE: gate } : {}) };
  const code = await run(process.execPath, argv, env, output);
  const stats = readJson(file)?.stats;
  return { passed: stats ? stats.expected + stats.flaky : 0, failed: stats ? stats.unexpected + (code !== 0 && stats.unexpected === 0 ? 1 : 0) : 1, code };
}

/**
 * Output of a suite that runs beside another: held back while the other prints, then shown whole
 * and live from there, so neither suite's lines are interleaved with the other's.
 */
function heldOutput() {
  const held = [];
  let live = false;
  return {
    write: (chunk) => (live ? process.stdout.write(chunk) : held.push(chunk)),
    release() {
      live = true;
      for (const chunk of held.splice(0)) process.stdout.write(chunk);
    },
  };
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  let passed = 0;
  let failed = 0;
  let exitCode = 0;
  const count = (r) => {
    passed += r.passed;
    failed += r.failed;
    if (r.code !== 0) exitCode = 1;
  };
  const env = baseEnv();
  if (only === "unit") {
    count(await vitest("vitest.unit.config.ts", path.join(OUT, "unit.json"), { ...process.env }));
    console.log(`\n${passed} passed, ${failed} failed`);
    process.exit(exitCode);
  }
  if (!only) {
    // Beside the production build, whose type check leaves a core idle; its output follows the build's.
    const held = heldOutput();
    const unit = vitest("vitest.unit.config.ts", path.join(OUT, "unit.json"), { ...process.env }, held.write);
    await buildIfStale(env);
    held.release();
    count(await unit);
  } else await buildIfStale(env);
  const port = Number(env.HERALD_TEST_PORT ?? 3100);
  // Below Linux's ephemeral range (32768-60999): a busy machine's outgoing connections (a bench's
  // thousands of streams beside the suite) took 54340 once, and PostgreSQL could not start there.
  const pgPort = Number(env.HERALD_TEST_PG_PORT ?? 25439);
  // The integration suite restarts PostgreSQL, takes every replication slot and reads what is global
  // to its server (streams, metrics, its log): the browser suite has a stack of its own, 10 ports up,
  // so the two run at once. With DATABASE_URL both would share one server's slots: one after the other.
  const suites = [
    !only || only === "integration" ? { name: "integration", port, pgPort, run: integration } : null,
    !only || only === "e2e" ? { name: "e2e", port: Number(env.HERALD_TEST_E2E_PORT ?? port + 10), pgPort: pgPort + 1, run: e2e } : null,
  ].filter(Boolean);
  const stacks = [];
  process.on("SIGINT", () => Promise.all(stacks.map((s) => s.stop())).then(() => process.exit(130)));
  // `output` unset: the suite's children write to our terminal directly.
  const runSuite = async (suite, output, gate) => {
    const print = output ?? ((chunk) => process.stdout.write(chunk));
    let stack;
    try {
      stack = await startStack(suite.name, { env, port: suite.port, pgPort: suite.pgPort });
      stacks.push(stack);
      const result = await suite.run(stack, output, gate);
      if (result.code !== 0) print(`\n--- last lines of the ${suite.name} server's log ---\n${stack.lastLog()}\n`);
      return result;
    } catch (err) {
      console.error(err);
      return { passed: 0, failed: 1, code: 1 };
    } finally {
      await stack?.stop();
    }
  };
  if (suites.length === 2 && !env.DATABASE_URL) {
    const beside = heldOutput();
    const gate = path.join(OUT, "integration-running");
    writeFileSync(gate, "");
    const second = runSuite(suites[1], beside.write, gate);
    count(await runSuite(suites[0]));
    rmSync(gate, { force: true });
    beside.release();
    count(await second);
  } else {
    for (const suite of suites) count(await runSuite(suite));
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(exitCode);
}

main();
