#!/usr/bin/env node
// `npm test`: the pure unit suite first (no database, no server); then one real PostgreSQL (embedded,
// or DATABASE_URL), one real production server, and the integration suite (vitest) and the browser
// suite (Playwright, Debian's Chromium) against them. Ends with the line `N passed, N failed` summed
// over every suite.
//   npm test -- --only=unit|integration|e2e      run one suite
//   npm test -- <vitest/playwright filters>
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
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

function run(cmd, argv, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: "inherit", env });
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
async function vitest(config, file, env) {
  const code = await run(
    process.execPath,
    [path.join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "--config", config, "--passWithNoTests", "--reporter=default", "--reporter=json", `--outputFile=${file}`, ...filters],
    env,
  );
  const report = readJson(file);
  const passed = report?.numPassedTests ?? 0;
  const failed = report ? report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0) : 1;
  return { passed, failed, code };
}

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  let passed = 0;
  let failed = 0;
  let exitCode = 0;
  if (!only || only === "unit") {
    const unit = await vitest("vitest.unit.config.ts", path.join(OUT, "unit.json"), { ...process.env });
    passed += unit.passed;
    failed += unit.failed;
    if (unit.code !== 0) exitCode = 1;
    if (only === "unit") {
      console.log(`\n${passed} passed, ${failed} failed`);
      process.exit(exitCode);
    }
  }
  const secrets = localSecrets();
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", AUTH_TRUST_HOST: "true" };
  env.AUTH_SECRET ??= secrets.authSecret;
  // Push is on, as under npm start (the delivery tests run their own instances with their own keys).
  env.VAPID_PUBLIC_KEY ??= secrets.vapidPublicKey;
  env.VAPID_PRIVATE_KEY ??= secrets.vapidPrivateKey;
  // The tests' push services listen on 127.0.0.1 (tests/support/push-service.ts); production never sets it.
  env.HERALD_PUSH_ALLOW_LOCAL = "true";
  // Set, not defaulted: the suites need to know exactly who is an admin. Tests claim a fresh one
  // from the pool (tests/support/users.ts createAdminUser), the demo's alice stays one too.
  env.HERALD_METRICS_TOKEN ??= "test-metrics-token-0123456789abcdef";
  // ops@verify.test.example is listed but has no account: tests/email-verification.test.ts signs up as it.
  env.HERALD_ADMIN_EMAILS = ["alice@example.com", "ops@verify.test.example", ...TEST_ADMIN_EMAILS].join(",");
  // Every browser test signs up its people from 127.0.0.1; the throttle's own test uses other loopback addresses.
  env.RATE_LIMIT_SIGNUP_PER_IP ??= "100000";

  let embedded = null;
  if (!env.DATABASE_URL) {
    embedded = await startLocalPostgres("pg-test", Number(env.HERALD_TEST_PG_PORT ?? 54339));
    // A clean database per run; tests also create their own users so they never share state.
    await recreateDatabase(embedded.adminUrl, "herald_test");
    env.DATABASE_URL = embedded.url.replace(/\/postgres$/, "/herald_test");
    env.HERALD_TEST_ADMIN_URL = embedded.adminUrl;
    // For the tests that restart PostgreSQL (tests/delivery-faults.test.ts).
    env.HERALD_TEST_PG_DATA = embedded.dataDir;
    env.HERALD_TEST_PG_CTL = embedded.pgCtl;
  }
  await runMigrations(env.DATABASE_URL);
  buildIfStale(env);

  const port = env.HERALD_TEST_PORT ?? "3100";
  const baseUrl = `http://127.0.0.1:${port}`;
  env.HERALD_BASE_URL = baseUrl;
  // The scale-out test starts a second instance on the next port, and a TCP proxy on the one after.
  env.HERALD_TEST_PORT_B ??= String(Number(port) + 1);
  env.HERALD_TEST_PROXY_PORT ??= String(Number(port) + 2);
  // Email goes to a local mail catcher, as under npm start, with a 2-second delay (e2e/email-push.spec.ts);
  // the delivery tests run instances of their own against a test SMTP server.
  const catcher = await startMailCatcher({ port: Number(port) + 5, dir: path.join(OUT, "mail") });
  env.SMTP_URL = catcher.url;
  env.HERALD_DEV_MAIL_DIR = catcher.dir;
  env.HERALD_EMAIL_DELAY_S ??= "2";
  // Instances sample themselves every second, so the dashboard's tests see traffic promptly.
  env.HERALD_SAMPLE_INTERVAL_S ??= "1";
  // The whole server log, for tests that check what it holds (tests/logging.test.ts).
  env.HERALD_TEST_SERVER_LOG = path.join(OUT, "server.log");
  const server = spawn(process.execPath, [SERVER, "--port", port, "--hostname", "127.0.0.1"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const serverLog = [];
  const keep = (chunk) => {
    appendFileSync(env.HERALD_TEST_SERVER_LOG, chunk);
    serverLog.push(chunk.toString());
    if (serverLog.length > 500) serverLog.shift();
  };
  // For the tests that measure the server's memory (tests/delivery-memory.test.ts); set after the spawn.
  env.HERALD_TEST_SERVER_PID = String(server.pid);
  server.stdout.on("data", keep);
  server.stderr.on("data", keep);

  const cleanup = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => (server.exitCode !== null ? r() : server.once("exit", r)));
    }
    if (embedded) await embedded.stop();
  };
  process.on("SIGINT", () => cleanup().then(() => process.exit(130)));

  try {
    await waitForHealth(baseUrl, server);
    if (only !== "e2e") {
      // Two files at a time, then the ones that must run alone (vitest.config.ts SERIAL_FILES).
      for (const [file, serial] of [["vitest.json", "0"], ["vitest-serial.json", "1"]]) {
        const integration = await vitest("vitest.config.ts", path.join(OUT, file), { ...env, HERALD_TEST_SERIAL: serial });
        passed += integration.passed;
        failed += integration.failed;
        if (integration.code !== 0) exitCode = 1;
      }
    }
    if (only !== "integration") {
      const file = path.join(OUT, "playwright.json");
      const code = await run(
        process.execPath,
        [path.join(ROOT, "node_modules", "@playwright", "test", "cli.js"), "test", ...filters],
        { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: file },
      );
      const stats = readJson(file)?.stats;
      passed += stats ? stats.expected + stats.flaky : 0;
      failed += stats ? stats.unexpected + (code !== 0 && stats.unexpected === 0 ? 1 : 0) : 1;
      if (code !== 0) exitCode = 1;
    }
  } catch (err) {
    console.error(err);
    failed += 1;
    exitCode = 1;
  } finally {
    if (exitCode !== 0) {
      console.error("\n--- last lines of the test server's log ---\n" + serverLog.join("").split("\n").slice(-60).join("\n"));
    }
    await cleanup();
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(exitCode);
}

main();
