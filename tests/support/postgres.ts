import { execFileSync, spawnSync } from "node:child_process";
import type postgres from "postgres";

// Control of the embedded PostgreSQL that scripts/test.mjs started (absent with DATABASE_URL).
const dataDir = process.env.HERALD_TEST_PG_DATA;
const pgCtlBin = process.env.HERALD_TEST_PG_CTL;
export const canRestartPostgres = Boolean(dataDir && pgCtlBin);

/** As root, the cluster belongs to the `postgres` system user: run pg_ctl as that user. */
function runAs() {
  if (process.getuid?.() !== 0) return {};
  return {
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  };
}

function pgCtl(...args: string[]) {
  // stdio ignored: the server started by pg_ctl inherits it, and a pipe would never close.
  const res = spawnSync(pgCtlBin!, [...args, "-D", dataDir!], { stdio: "ignore", ...runAs() });
  if (res.status !== 0) throw new Error(`pg_ctl ${args.join(" ")} exited with ${res.status}`);
}

export function stopPostgres() {
  pgCtl("stop", "-m", "fast", "-w");
}

/** Starts it again with the options of its last start (postmaster.opts). */
export function startPostgres() {
  pgCtl("restart", "-m", "fast", "-w", "-t", "60");
}

/** The backends that feed live delivery: a LISTEN connection or a logical replication one (lib/realtime/feed/feed.ts). */
const FEEDS = ["herald-listener", "herald-replication"];

/** Kills every app process's change-feed backend on the test database; returns how many. */
export async function terminateListeners(sql: postgres.Sql) {
  const rows = await sql`
    select pg_terminate_backend(pid) from pg_stat_activity
     where application_name in ${sql(FEEDS)} and datname = current_database()`;
  return rows.length;
}

export async function listenerPids(sql: postgres.Sql): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where application_name in ${sql(FEEDS)} and datname = current_database()`;
  return rows.map((r) => r.pid);
}
