import "server-only";
import postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { PgTransaction } from "drizzle-orm/pg-core";
import type { PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import * as schema from "./schema";
import { env } from "@/lib/env";

export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = PgTransaction<
  PostgresJsQueryResultHKT,
  typeof schema,
  ExtractTablesWithRelations<typeof schema>
>;
/** Query functions take either, so they compose inside `db.transaction`. */
export type DatabaseOrTransaction = Database | Transaction;

type Handle = { sql: postgres.Sql; db: Database };
// One pool per process; kept on globalThis so dev hot reloads do not open a new one each time.
const g = globalThis as unknown as { __heraldDb?: Handle };

function handle(): Handle {
  if (!g.__heraldDb) {
    const sql = postgres(env().DATABASE_URL, {
      max: env().DATABASE_POOL_MAX,
      onnotice: () => {},
      connection: { application_name: "herald" },
    });
    g.__heraldDb = { sql, db: drizzle(sql, { schema }) };
  }
  return g.__heraldDb;
}

/** The drizzle database (lazy: nothing connects until first use). */
export const db: Database = new Proxy({} as Database, {
  get: (_t, prop) => Reflect.get(handle().db, prop),
});

/** Shutting down: waits up to `timeoutS` for queries in flight, then closes the pool. */
export async function closeDb(timeoutS: number) {
  const handle = g.__heraldDb;
  if (handle) await handle.sql.end({ timeout: timeoutS });
}

export function rawSql(): postgres.Sql {
  return handle().sql;
}

/**
 * Whether the fixed hot statements are prepared (`{ prepare: prepared() }`): parsed and planned once
 * per connection instead of on every call. Off for poolers that cannot keep named statements.
 */
export const prepared = () => env().DATABASE_PREPARED_STATEMENTS;

/**
 * The postgres.js client behind `db` or a drizzle transaction (its reserved connection), for the few
 * fixed hot statements written in SQL and prepared once per connection (drizzle prepares nothing).
 */
export function clientOf(d: DatabaseOrTransaction): postgres.Sql {
  const client = (d as unknown as { session?: { client?: postgres.Sql } }).session?.client;
  if (typeof client?.unsafe !== "function") throw new Error("clientOf: not a drizzle postgres-js database or transaction");
  return client;
}
