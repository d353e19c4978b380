// Shared start-up steps for `npm start`, `npm run dev`, `npm test` and the benchmark:
// local secrets, migrations (pg-boss's schema and queues, then ours, under an advisory lock so several
// instances can start together) and the demo users.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { hash } from "@node-rs/argon2";
import webpush from "web-push";
import { installJobQueues } from "../../lib/jobs/queues.mjs";
import { resolveDataDir, startEmbeddedPostgres } from "./embedded-pg.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Herald's HTTP server (Next.js behind the request hooks): `node SERVER --port P --hostname H [--dev]`. */
export const SERVER = path.join(ROOT, "server.mjs");
export const DEMO_PASSWORD = "herald-demo";
export const DEMO_USERS = [
  { email: "alice@example.com", name: "Alice Martin" },
  { email: "bob@example.com", name: "Bob Chen" },
  { email: "carol@example.com", name: "Carol Diaz" },
];

/** This checkout's embedded PostgreSQL `name` (its data in .data/), on 127.0.0.1:`port`, with the local password. */
export function startLocalPostgres(name, port, database = "postgres") {
  return startEmbeddedPostgres({ dataDir: resolveDataDir(ROOT, name), port, password: localSecrets().pgPassword, database });
}

/** Secrets generated once per checkout and kept in .data/ (git-ignored), never committed. */
export function localSecrets() {
  const dir = path.join(ROOT, ".data");
  const file = path.join(dir, "secrets.json");
  mkdirSync(dir, { recursive: true });
  let secrets = {};
  if (existsSync(file)) secrets = JSON.parse(readFileSync(file, "utf8"));
  let changed = false;
  for (const key of ["authSecret", "pgPassword"]) {
    if (!secrets[key]) {
      secrets[key] = randomBytes(32).toString("base64url");
      changed = true;
    }
  }
  if (!secrets.vapidPublicKey || !secrets.vapidPrivateKey) {
    const keys = webpush.generateVAPIDKeys();
    secrets.vapidPublicKey = keys.publicKey;
    secrets.vapidPrivateKey = keys.privateKey;
    changed = true;
  }
  if (changed) writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export async function runMigrations(url) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(7242001)`;
    // The job queues first: the notifications trigger of the SQL migrations enqueues into them.
    await installJobQueues(url);
    await migrate(drizzle(sql), { migrationsFolder: path.join(ROOT, "db", "migrations") });
    await sql`select pg_advisory_unlock(7242001)`;
  } finally {
    await sql.end();
  }
}

/** Creates the demo users if they are missing; returns how many were created. */
export async function seedDemoUsers(url) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const passwordHash = await hash(DEMO_PASSWORD);
    let created = 0;
    for (const u of DEMO_USERS) {
      const rows = await sql`
        insert into users (email, name, password_hash, email_verified_at) values (${u.email}, ${u.name}, ${passwordHash}, now())
        on conflict do nothing returning id`;
      created += rows.length;
    }
    return created;
  } finally {
    await sql.end();
  }
}
