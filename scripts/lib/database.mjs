// Database access for the one-off scripts (`npm run cleanup`, `npm run seed:sample`), resolved the
// way `npm start` does it: DATABASE_URL when set; otherwise the embedded PostgreSQL, reusing the one
// a running `npm start` holds, or starting it (and migrating) for the duration of the script.
import { existsSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { resolveDataDir, startEmbeddedPostgres } from "./embedded-pg.mjs";
import { ROOT, localSecrets, runMigrations } from "./setup.mjs";

export function loadEnvFiles() {
  for (const file of [".env.local", ".env"]) {
    const p = path.join(ROOT, file);
    if (existsSync(p)) process.loadEnvFile(p);
  }
}

async function reachable(url) {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Runs `fn(sql, {url, embedded})` against the project's database and closes everything afterwards.
 * `embedded` is true when the database is the embedded one (demo data is allowed there).
 */
export async function withDatabase(fn) {
  loadEnvFiles();
  let url = process.env.DATABASE_URL;
  let server = null;
  const embedded = !url;
  if (!url) {
    const { pgPassword } = localSecrets();
    const port = Number(process.env.HERALD_PG_PORT ?? 54329);
    url = `postgres://postgres:${encodeURIComponent(pgPassword)}@127.0.0.1:${port}/herald`;
    if (!(await reachable(url))) {
      server = await startEmbeddedPostgres({ dataDir: resolveDataDir(ROOT, "pg"), port, password: pgPassword, database: "herald" });
      await runMigrations(url);
    }
  }
  const sql = postgres(url, { max: 4, onnotice: () => {}, connection: { application_name: "herald-script" } });
  try {
    return await fn(sql, { url, embedded });
  } finally {
    await sql.end({ timeout: 5 });
    if (server) await server.stop();
  }
}
