// The bench's own database and production server: an embedded PostgreSQL on its own port and data
// directory, a fresh database each run, and `next start` (the production bundle) against it.
import { fork, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { encode } from "next-auth/jwt";
import { recreateDatabase } from "../../scripts/lib/embedded-pg.mjs";
import { ROOT, SERVER, localSecrets, runMigrations, startLocalPostgres } from "../../scripts/lib/setup.mjs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Given to the bench's server, so the bench can read its delivery metrics. */
export const METRICS_TOKEN = `bench-${randomBytes(16).toString("hex")}`;

export async function startDatabase(pgPort) {
  const secrets = localSecrets();
  const pg = await startLocalPostgres("pg-bench", pgPort);
  await recreateDatabase(pg.adminUrl, "herald_bench");
  const url = pg.url.replace(/\/postgres$/, "/herald_bench");
  await runMigrations(url);
  return { pg, url, authSecret: process.env.AUTH_SECRET ?? secrets.authSecret };
}

/** `n` users, and for each a session token like the ones Auth.js issues after sign-in. */
export async function createUsers(sql, n, authSecret) {
  const rows = await sql`
    insert into users (email, name, password_hash)
    select 'bench' || g || '@bench.example', 'Bench ' || g, 'not-a-password' from generate_series(1, ${n}) g
    returning id`;
  const ids = rows.map((r) => r.id);
  // A token counts only with its valid `sessions` row, as sign-in creates them.
  const sessions = await sql`
    insert into sessions (user_id, expires_at) select unnest(${ids}::uuid[]), now() + interval '1 hour' returning id, user_id`;
  const sid = new Map(sessions.map((s) => [s.user_id, s.id]));
  const tokens = [];
  for (const id of ids) {
    const token = { sub: id, sid: sid.get(id), name: "Bench", email: `${id}@bench.example` };
    tokens.push(await encode({ token, secret: authSecret, salt: "authjs.session-token", maxAge: 3600 }));
  }
  return { ids, tokens };
}

export class AppServer {
  static async start({ port, env }) {
    // HERALD_BENCH_NODE_ARGS: extra flags for the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = process.env.HERALD_BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, SERVER, "--port", String(port), "--hostname", "127.0.0.1"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", AUTH_TRUST_HOST: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const log = [];
    const keep = (c) => log.push(c.toString()) > 200 && log.shift();
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const server = new AppServer(child, port, log);
    const deadline = Date.now() + 60_000;
    while (!(await server.health().then((h) => h.status === "ok", () => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${log.join("")}`);
      await sleep(200);
    }
    return server;
  }

  constructor(child, port, log) {
    this.child = child;
    this.port = port;
    this.log = log;
  }

  async health() {
    return (await fetch(`http://127.0.0.1:${this.port}/api/health`)).json();
  }

  /**
   * The server's own metrics (GET /api/metrics with the bench's HERALD_METRICS_TOKEN): `value(name,
   * labels)` sums the samples of `name` whose labels include `labels`.
   */
  async metrics() {
    const res = await fetch(`http://127.0.0.1:${this.port}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const samples = (await res.text()).split("\n").filter((l) => l && !l.startsWith("#"));
    return {
      value(name, labels = {}) {
        const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
        let sum = 0;
        for (const line of samples) {
          const at = line.lastIndexOf(" ");
          const key = line.slice(0, at);
          if ((key === name || key.startsWith(`${name}{`)) && wanted.every((w) => key.includes(w))) sum += Number(line.slice(at + 1));
        }
        return sum;
      },
    };
  }

  /**
   * Waits until the server has worked off what an earlier phase left queued (requests whose clients
   * already gave up still run to their end): its health answers within 50 ms three times in a row.
   * Returns how long that took.
   */
  async settle(timeoutMs = 60_000) {
    const t0 = performance.now();
    let quick = 0;
    while (quick < 3 && performance.now() - t0 < timeoutMs) {
      const t = performance.now();
      await this.health().catch(() => null);
      quick = performance.now() - t < 50 ? quick + 1 : 0;
      await sleep(100);
    }
    return Math.round(performance.now() - t0);
  }

  /** Resident memory of the server process, in KB. */
  rssKb() {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.child.pid}/status`, "utf8"))[1]);
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGTERM");
    await exited;
  }

  /** SIGKILL: a crash, no shutdown code runs. */
  async kill() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGKILL");
    await exited;
  }
}

/** The writer child process (bench/writer.ts), running the app's own service. */
export class Writer {
  static async start(env) {
    const child = fork(path.join(ROOT, "bench", "writer.ts"), [], {
      cwd: ROOT,
      execArgv: ["--conditions=react-server", "--import", "tsx"],
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise((resolve, reject) => {
      child.once("message", resolve);
      child.once("exit", (code) => reject(new Error(`writer exited with ${code}`)));
    });
    return new Writer(child);
  }

  constructor(child) {
    this.child = child;
  }

  run(cmd) {
    return new Promise((resolve, reject) => {
      this.child.once("message", (m) => (m.ok ? resolve(m) : reject(new Error(m.error))));
      this.child.send(cmd);
    });
  }

  stop() {
    this.child.kill();
  }
}

/** Committed transactions of the bench database so far (the DB's own count, all clients). */
export async function transactions(sql) {
  const [row] = await sql`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`;
  return Number(row.n);
}

export const connect = (url, max = 4) => postgres(url, { max, onnotice: () => {} });
