import type postgres from "postgres";

/**
 * Admins are whoever HERALD_ADMIN_EMAILS lists, so a test that needs one cannot make up a fresh
 * email: scripts/test.mjs lists a pool of them, and each test claims one nobody has yet (one
 * statement, so concurrent claimers never get the same one). A database reused across runs fills
 * the pool up; then the oldest claim (from an earlier run) is deleted and its email reused.
 * Claimed admins are verified (the role needs it), as if they had followed the emailed link.
 */
export function adminPool(): string[] {
  const pool = (process.env.HERALD_ADMIN_EMAILS ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.endsWith("@admins.test.example"));
  if (pool.length === 0) throw new Error("HERALD_ADMIN_EMAILS lists no test admins: run the tests with `npm test`");
  return pool;
}

export async function claimAdminUser(sql: postgres.Sql, name: string, passwordHash: string) {
  const pool = adminPool();
  for (let attempt = 0; attempt < 20; attempt++) {
    const [row] = await sql<{ id: string; email: string }[]>`
      insert into users (email, name, password_hash, email_verified_at)
      select p.email, ${name}, ${passwordHash}, now() from unnest(${pool}::text[]) with ordinality as p(email, i)
       where not exists (select 1 from users u where lower(u.email) = p.email)
       order by p.i limit 1
      on conflict do nothing
      returning id, email`;
    if (row) return row;
    const [{ free }] = await sql`
      select count(*)::int as free from unnest(${pool}::text[]) p(email)
       where not exists (select 1 from users u where lower(u.email) = p.email)`;
    if (free === 0) {
      await sql`delete from users where id = (select id from users where lower(email) = any(${pool}::text[]) order by created_at limit 1)`;
    }
  }
  throw new Error("could not claim a test admin");
}
