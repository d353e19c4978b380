import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { runCleanup } from "@/lib/cleanup/cleanup.mjs";
import { createToken, service } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createAdminUser } from "./support/users";

afterAll(closeTestSql);

const USERS = 600;
const PER_SEND = 500;
const ROUNDS = 20;

/** An admin's `users` token: only those may notify other people. */
const senderToken = (client: Client) => createToken(client, "deadlock-broadcasts", { scope: "users" });

/** Many recipients in one statement, in random order (ids are random, so creation order is too). */
async function createRecipients(n: number) {
  const run = randomUUID().slice(0, 8);
  const rows = await testSql()<{ id: string }[]>`
    insert into users (email, name, password_hash)
    select 'dl-' || ${run} || '-' || g || '@test.example', 'Recipient ' || g, 'not-a-hash' from generate_series(1, ${n}::int) g
    returning id`;
  return rows.map((r) => r.id).sort(() => Math.random() - 0.5);
}

describe("no deadlocks between broadcasts and the cleanup job", () => {
  it("20 rounds of two 500-recipient sends in opposite orders while cleanup deletes: no errors", { timeout: 300_000 }, async () => {
    const ids = await createRecipients(USERS);
    const owner = await createAdminUser("broadcaster");
    const token = await senderToken(await Client.signedIn(owner));
    // Overlapping recipients: 400 in both, given in opposite orders.
    const forward = ids.slice(0, PER_SEND);
    const backward = ids.slice(USERS - PER_SEND).reverse();
    const failures: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      // Work for the cleanup's DELETE: an expired row for every recipient, so its batches lock
      // users rows of the same people the broadcasts are numbering.
      await testSql()`
        insert into notifications (user_id, title, expires_at)
        select id, 'expired', now() - interval '1 minute' from unnest(${ids}::uuid[]) as id`;
      const send = (to: string[]) => service("/api/v1/notifications", { token: token.secret, body: { to, title: `round ${round}` } });
      const [a, b, cleanup] = await Promise.all([
        send(forward),
        send(backward),
        runCleanup(testSql(), { batchSize: 25, waitMs: 120_000 }),
      ]);
      for (const [res, given] of [
        [a, forward],
        [b, backward],
      ] as const) {
        if (res.status !== 201) failures.push(`round ${round}: ${res.status} ${JSON.stringify(res.body)}`);
        // The answer keeps the order the recipients were given in, whatever order the rows went in.
        else expect(res.body.notifications.map((n: { userId: string }) => n.userId)).toEqual(given);
      }
      if (!cleanup.ran || cleanup.failed.length) failures.push(`round ${round}: cleanup ${JSON.stringify(cleanup)}`);
    }

    expect(failures).toEqual([]);
    const counts = await testSql()<{ live: number; expired: number }[]>`
      select count(*) filter (where expires_at is null)::int as live, count(*) filter (where expires_at is not null)::int as expired
        from notifications where user_id = any(${ids}::uuid[])`;
    expect(counts[0]).toEqual({ live: ROUNDS * PER_SEND * 2, expired: 0 });
  });
});
