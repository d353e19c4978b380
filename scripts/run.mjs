#!/usr/bin/env node
// `npm start` / `npm run dev` / `npm run db:migrate`: resolve the database (embedded PostgreSQL
// unless DATABASE_URL is set), migrate, seed demo users where allowed, then run Next.js.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { startMailCatcher } from "./lib/mail-catcher.mjs";
import { DEMO_PASSWORD, DEMO_USERS, ROOT, SERVER, localSecrets, runMigrations, seedDemoUsers, startLocalPostgres } from "./lib/setup.mjs";

const mode = process.argv[2] ?? "start";
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

for (const file of [".env.local", ".env"]) {
  const p = path.join(ROOT, file);
  if (existsSync(p)) process.loadEnvFile(p);
}

/** The newest modification time under the sources that go into a production build. */
function newestSourceMtime() {
  const roots = ["app", "components", "lib", "db", "public", "next.config.ts", "package-lock.json", "postcss.config.mjs", "proxy.ts", "instrumentation.ts"];
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) walk(path.join(p, entry));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const r of roots) walk(path.join(ROOT, r));
  return newest;
}

export async function buildIfStale(env) {
  // The embeddable inbox's script (served by /embed/v1/herald.js) is built beside Next's bundle.
  await buildStep([path.join(ROOT, "sdk", "element", "build.mjs"), "--if-stale"], env);
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestSourceMtime()) return;
  console.log("[herald] building the production bundle (next build)…");
  await buildStep([NEXT_BIN, "build"], env);
}

/** A build step in a child process (so the caller may run something beside it); a failure ends us. */
function buildStep(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "inherit", env });
    child.on("exit", (code) => (code === 0 ? resolve() : process.exit(code ?? 1)));
  });
}

async function main() {
  const secrets = localSecrets();
  const env = { ...process.env };
  let embedded = null;

  if (!env.DATABASE_URL) {
    embedded = await startLocalPostgres("pg", Number(env.HERALD_PG_PORT ?? 54329), "herald");
    env.DATABASE_URL = embedded.url;
    // The demo's admin; with your own DATABASE_URL nobody is an admin unless you list them.
    env.HERALD_ADMIN_EMAILS ??= "alice@example.com";
    // Web push works out of the box with the key pair generated for this checkout.
    if (!env.VAPID_PUBLIC_KEY && !env.VAPID_PRIVATE_KEY) {
      env.VAPID_PUBLIC_KEY = secrets.vapidPublicKey;
      env.VAPID_PRIVATE_KEY = secrets.vapidPrivateKey;
    }
    console.log("[herald] embedded PostgreSQL is running on 127.0.0.1:" + (env.HERALD_PG_PORT ?? 54329));
    // A seeded admin with a published password: reachable from this machine only, unless HOST says otherwise.
    env.HOST ??= "127.0.0.1";
  }
  if (!env.AUTH_SECRET) {
    env.AUTH_SECRET = secrets.authSecret;
    if (!embedded) console.warn("[herald] AUTH_SECRET is not set; using the one generated in .data/secrets.json.");
  }
  env.AUTH_TRUST_HOST ??= "true";
  env.NEXT_TELEMETRY_DISABLED ??= "1";

  const stopDb = async () => {
    if (embedded) await embedded.stop().catch(() => {});
  };

  try {
    await runMigrations(env.DATABASE_URL);
    const seed = embedded ? env.SEED_DEMO_USERS !== "false" : env.SEED_DEMO_USERS === "true";
    if (seed) {
      await seedDemoUsers(env.DATABASE_URL);
      console.log(
        `[herald] demo logins (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => u.email).join(", ")}`,
      );
    }
  } catch (err) {
    console.error(err);
    await stopDb();
    process.exit(1);
  }

  if (mode === "migrate") {
    await stopDb();
    console.log("[herald] migrations applied.");
    return;
  }

  let catcher = null;
  if (embedded && !env.SMTP_URL) {
    // Email works out of the box: a local catcher takes it, and /dev/mail shows it.
    try {
      catcher = await startMailCatcher({ port: Number(env.HERALD_MAIL_CATCHER_PORT ?? 1025), dir: path.join(ROOT, ".data", "mail") });
    } catch (err) {
      console.error(`[herald] ${err.message}`);
      await stopDb();
      process.exit(1);
    }
    env.SMTP_URL = catcher.url;
    env.HERALD_DEV_MAIL_DIR = catcher.dir;
    console.log(`[herald] mail catcher on ${catcher.url}; what it catches is at http://localhost:${env.PORT ?? "3000"}/dev/mail`);
  }

  if (mode === "start") await buildIfStale(env);
  const port = env.PORT ?? "3000";
  if (mode === "dev") env.LOG_FORMAT ??= "pretty";
  const child = spawn(process.execPath, [SERVER, "--port", port, ...(mode === "dev" ? ["--dev"] : [])], {
    cwd: ROOT,
    stdio: "inherit",
    env,
  });
  const host = env.HOST || "";
  const everywhere = !host || host === "0.0.0.0" || host === "::";
  const shown = everywhere ? "localhost" : host.includes(":") ? `[${host}]` : host;
  console.log(`[herald] serving on http://${shown}:${port}${everywhere ? " (listening on every interface)" : ""}`);

  let shuttingDown = false;
  const shutdown = async (signal) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (child.exitCode === null) child.kill(signal);
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
    await catcher?.close();
    await stopDb();
    process.exit(0);
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  child.on("exit", async (code) => {
    if (shuttingDown) return;
    await stopDb();
    process.exit(code ?? 1);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) main();
