import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { createTestUser } from "./support/users";

afterAll(closeTestSql);

describe("notify trigger", () => {
  it("sends an id-only payload far below NOTIFY's 8000-byte limit, even for a 10 KB body", async () => {
    const sql = testSql();
    const user = await createTestUser("trigger");
    const payloads: string[] = [];
    // A program of its own that LISTENs registers itself, so the triggers NOTIFY (db/migrations/0010).
    await sql`insert into herald_listeners (instance, mode) values ('trigger-test', 'notify')
              on conflict (instance) do update set mode = 'notify', seen_at = now()`;
    const listener = await sql.listen("herald_notifications", (p) => payloads.push(p));
    const body = "x".repeat(10 * 1024);
    const [row] = await sql<{ id: string; seq: string }[]>`
      insert into notifications (user_id, title, body) values (${user.id}, 'Big one', ${body}) returning id, seq`;
    const deadline = Date.now() + 5_000;
    let mine: string | undefined;
    while (!mine && Date.now() < deadline) {
      mine = payloads.find((p) => JSON.parse(p).userId === user.id);
      if (!mine) await new Promise((r) => setTimeout(r, 20));
    }
    await listener.unlisten();
    await sql`delete from herald_listeners where instance = 'trigger-test'`;
    expect(mine).toBeDefined();
    expect(Buffer.byteLength(mine!)).toBeLessThan(200);
    expect(JSON.parse(mine!)).toEqual({ op: "insert", userId: user.id, seq: Number(row.seq), n: 1 });
  });

  it("numbers each user's notifications 1, 2, 3… independently of other users", async () => {
    const sql = testSql();
    const [a, b] = await Promise.all([createTestUser("seqa"), createTestUser("seqb")]);
    for (const u of [a, b, a, a, b]) await sql`insert into notifications (user_id, title) values (${u.id}, 't')`;
    const seqs = async (id: string) =>
      (await sql<{ seq: string }[]>`select seq from notifications where user_id = ${id} order by id`).map((r) => Number(r.seq));
    expect(await seqs(a.id)).toEqual([1, 2, 3]);
    expect(await seqs(b.id)).toEqual([1, 2]);
  });

  it("rejects a notification for a user that does not exist", async () => {
    await expect(
      testSql()`insert into notifications (user_id, title) values ('00000000-0000-4000-8000-000000000000', 't')`,
    ).rejects.toThrow(/does not exist/);
  });
});
