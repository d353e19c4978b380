import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { canRestartPostgres, listenerPids, startPostgres, stopPostgres, terminateListeners } from "./support/postgres";
import { seqOf, sleep } from "./support/resuming-stream";
import { SseReader, type SseEvent } from "./support/sse";
import { Client, createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

const health = () => new Client().json("/api/health");

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await sleep(50);
  }
}

/** Right after a restart the test's own pooled connections are dead: retry until the database answers. */
async function insert(user: TestUser, title: string): Promise<string> {
  return until(
    async () => (await testSql()<{ id: string }[]>`insert into notifications (user_id, title) values (${user.id}, ${title}) returning id::text`)[0].id,
    () => true,
    `insert ${title}`,
  );
}

function expectExactlyOnceInOrder(events: SseEvent[], ids: string[]) {
  const created = events.filter((e) => e.event === "notification.created");
  expect(created.map((e) => e.data.id).sort()).toEqual([...ids].sort());
  const seqs = created.map(seqOf);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
}

describe("listener faults", () => {
  it("kills the change-feed backend (replication or LISTEN) again and again during a burst: every stream still gets everything once", async () => {
    const users = await Promise.all([1, 2, 3, 4].map((i) => createTestUser(`burst${i}`)));
    const streams = await Promise.all(users.map(async (u) => SseReader.open(await Client.signedIn(u))));
    const before = (await health()).body.realtime.listenerReconnects as number;
    const sent = new Map<string, string[]>(users.map((u) => [u.id, []]));
    try {
      let writing = true;
      const writers = Promise.all(
        [0, 1, 2, 3].map(async (w) => {
          for (let i = 0; i < 50; i++) {
            const user = users[(w + i) % users.length];
            sent.get(user.id)!.push(await insert(user, `burst ${w}-${i}`));
            await sleep(5);
          }
        }),
      ).finally(() => (writing = false));
      let kills = 0;
      let lastPid = 0;
      while (writing || kills < 3) {
        // Kill each new listener backend once it is up, so every kill hits a live connection.
        const [pid] = await until(() => listenerPids(testSql()), (p) => p.length > 0 && p[0] !== lastPid, "listener is back");
        lastPid = pid;
        kills += await terminateListeners(testSql());
        await sleep(100 + Math.random() * 100);
      }
      await writers;
      for (const [i, stream] of streams.entries()) {
        const mine = sent.get(users[i].id)!;
        await stream.waitFor((e) => e.event === "notification.created" && e.data.id === mine.at(-1), 20_000);
        expectExactlyOnceInOrder(stream.events, mine);
        // No stream was dropped: the server caught up from the table, not the clients.
        expect(stream.named("ready")).toHaveLength(1);
      }
      const after = await until(health, (h) => h.status === 200, "healthy again");
      expect(after.body.listener).toBe("ok");
      // The embedded database runs with wal_level = logical: the server reads changes from the WAL.
      if (canRestartPostgres) expect(after.body.realtime.path).toBe("replication");
      expect(after.body.realtime.listenerReconnects - before).toBeGreaterThanOrEqual(kills);
    } finally {
      for (const s of streams) s.close();
    }
  }, 90_000);

  it.skipIf(!canRestartPostgres)("survives a PostgreSQL restart: reports it, reconnects, catches up, loses nothing", async () => {
    const user = await createTestUser("restart");
    const stream = await SseReader.open(await Client.signedIn(user));
    const ids: string[] = [];
    try {
      ids.push(await insert(user, "before"));
      await stream.waitFor((e) => e.data?.title === "before");
      stopPostgres();
      const down = await until(health, (h) => h.status === 503, "health reports the outage");
      expect(down.body).toMatchObject({ status: "degraded", db: "unreachable" });
      expect(down.body.listener).not.toBe("ok");
      startPostgres();
      // Written as soon as the database is back, likely before the listener is: caught up from the table.
      ids.push(await insert(user, "right after"), await insert(user, "right after 2"));
      await until(health, (h) => h.status === 200, "healthy after the restart");
      // Nothing else is written for this user until it arrives: only the catch-up can deliver it.
      await stream.waitFor((e) => e.data?.title === "right after 2", 20_000);
      ids.push(await insert(user, "after"));
      await stream.waitFor((e) => e.data?.title === "after", 20_000);
      expectExactlyOnceInOrder(stream.events, ids);
      expect(stream.named("ready")).toHaveLength(1);
    } finally {
      stream.close();
    }
  }, 120_000);
});
