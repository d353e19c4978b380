// The database's own ceiling, with no app in between: single-row INSERT transactions through
// postgres.js, as fast as `writers` concurrent connections can go.
import postgres from "postgres";
import { now } from "./sse-clients.mjs";

/**
 * Tables to compare against `notifications` (whose statement-level trigger numbers and announces
 * every change): the same table with no trigger at all, and with the first design's row-level
 * NOTIFY trigger (one pg_notify per row, kept here only as a baseline).
 */
export async function prepareRawTables(sql) {
  await sql.unsafe(`
    create table bench_plain (like notifications including defaults including identity);
    create index on bench_plain (user_id, id desc);
    create table bench_rowlevel (like notifications including defaults including identity);
    create unique index on bench_rowlevel (user_id, seq);
    create function bench_rowlevel_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('bench_rowlevel', json_build_object('op', lower(tg_op), 'id', new.id::text, 'userId', new.user_id, 'seq', new.seq)::text);
      return null;
    end $$;
    create trigger bench_rowlevel_seq before insert on bench_rowlevel for each row execute function herald_notification_assign_seq();
    create trigger bench_rowlevel_notify after insert on bench_rowlevel for each row execute function bench_rowlevel_notify();
  `);
}

export async function insertRate(url, { table, writers, seconds, users, connection = {} }) {
  const sql = postgres(url, { max: writers, onnotice: () => {}, connection });
  await Promise.all(Array.from({ length: writers }, () => sql`select 1`));
  const end = now() + seconds * 1000;
  let n = 0;
  const start = now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (now() < end) {
        const user = users[(Math.random() * users.length) | 0];
        await sql`insert into ${sql(table)} (user_id, title) values (${user}, 'raw insert')`;
        n++;
      }
    }),
  );
  const rate = n / ((now() - start) / 1000);
  await sql.end();
  return { rate: Math.round(rate), count: n };
}
