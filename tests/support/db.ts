import postgres from "postgres";
import { requireEnv } from "./env";

let sql: postgres.Sql | undefined;

/** A plain postgres.js connection of the test's own: a separate writer from the app server. */
export function testSql() {
  sql ??= postgres(requireEnv("DATABASE_URL"), { max: 4, onnotice: () => {} });
  return sql;
}

export async function closeTestSql() {
  await sql?.end({ timeout: 1 });
  sql = undefined;
}
