import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { readJoinStates, readRound } from "@/db/queries/delivery";
import { toPreferencesDTO } from "@/lib/preferences/model";
import { changeFrames } from "@/lib/realtime/frames";
import { decodeLogical, type Relation } from "@/lib/realtime/feed/pgoutput";
import { feedChangeOf, PUBLICATIONS } from "@/lib/realtime/feed/replication";
import { TransactionCollector, type FeedTransaction } from "@/lib/realtime/feed/transaction";
import { WalRows } from "@/lib/realtime/dispatch/wal-rows";
import { closeTestSql, testSql } from "./support/db";
import { requireEnv } from "./support/env";
import { SseReader, type SseEvent } from "./support/sse";
import { Client, createTestUser, type TestUser } from "./support/users";

// Frames built from the rows the WAL carries (lib/realtime/dispatch/wal-rows.ts) must be the frames a read
// would give: the same DTO as the API, the same counts, the preferences as they are now. The server
// under test is on the replication path (scripts/test.mjs), but whether a given range goes out from
// the WAL's rows or from a read is the dispatcher's choice (a transaction not visible yet is read):
// the tests against the server check the frames, whichever way they went, and the first test builds
// the frame from the WAL's own bytes (a slot of its own), so that path is checked every time.

afterAll(closeTestSql);

/** Waits for the notification titled `title` on `stream` and the count that follows it. */
async function arrival(stream: SseReader, title: string) {
  const isIt = (e: SseEvent) => e.event === "notification.created" && e.data.title === title;
  const created = await stream.waitFor(isIt);
  const at = stream.events.indexOf(created);
  const count = await stream.waitFor((e) => e.event === "notifications.count" && stream.events.indexOf(e) > at);
  return { created, count: count.data };
}

async function openStream(user: TestUser) {
  const client = await Client.signedIn(user);
  return { client, stream: await SseReader.open(client) };
}

const decoder = new TextDecoder();
/** A frame's event and data, as an EventSource would read them. */
function parseFrame(bytes: Uint8Array) {
  const lines = decoder.decode(bytes).trimEnd().split("\n");
  const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))!.slice(name.length + 2);
  return { event: field("event"), data: JSON.parse(field("data")) };
}

/** The row's values written by `write`, as the replication connection (ISO, UTC) decodes them from a slot of the test's own. */
async function throughTheWal(user: TestUser, write: () => Promise<unknown>) {
  const wal = new WalRows();
  wal.join(user.id);
  const joined = (await readJoinStates(testSql(), [user.id])).get(user.id)!;
  wal.learned(user.id, { seq: joined.seq, snapshot: joined.snapshot, prefs: toPreferencesDTO(joined.preferences), nextExpiry: joined.nextExpiry });
  const slot = `test_wal_rows_${Math.random().toString(36).slice(2, 10)}`;
  const sql = postgres(requireEnv("DATABASE_URL"), { max: 1, onnotice: () => {}, connection: { DateStyle: "ISO", TimeZone: "UTC" } });
  try {
    await sql`select pg_create_logical_replication_slot(${slot}, 'pgoutput', true)`;
    await write();
    const messages = await sql<{ data: Buffer }[]>`
      select data from pg_logical_slot_get_binary_changes(${slot}, null, null, 'proto_version', '1', 'publication_names', ${PUBLICATIONS.join(",")})`;
    const relations = new Map<number, Relation>();
    // The transactions the replication transport hands over (lib/realtime/feed/replication.ts), and
    // what the dispatcher keeps of them for this user.
    const collector = new TransactionCollector(50_000);
    const transactions: FeedTransaction[] = [];
    for (const { data } of messages) {
      if (data[0] === 0x42 /* B */) collector.begin(data.readUInt32BE(17), Date.now());
      const change = decodeLogical(data, relations);
      if (change) {
        const fed = feedChangeOf(change);
        if (fed) collector.add(fed);
      }
      const tx = data[0] === 0x43 /* C */ ? collector.commit() : null;
      if (tx) transactions.push(tx);
    }
    for (const { xid, changes } of transactions) {
      for (const c of changes ?? []) {
        if (c.userId !== user.id) continue;
        if (c.kind === "numbered" && c.row) wal.inserted(user.id, c.seq, c.row, xid!);
        if (c.kind === "counts") wal.counted(user.id, c.counts, xid!);
      }
    }
    return { wal, after: joined.seq };
  } finally {
    await sql`select pg_drop_replication_slot(${slot}) where exists (select 1 from pg_replication_slots where slot_name = ${slot})`.catch(() => {});
    await sql.end({ timeout: 1 });
  }
}

describe("live frames from the WAL's rows", () => {
  it("are built from the WAL's own bytes exactly as from a read of the tables", async () => {
    const [user, actor] = await Promise.all([createTestUser("walbytes"), createTestUser("walbytesactor")]);
    const { wal, after } = await throughTheWal(user, () => testSql()`
      insert into notifications (user_id, category, priority, title, body, action_url, action_label, actor_id,
                                 subject_type, subject_id, metadata, expires_at, seen_at)
      values (${user.id}, 'report', 'high', ${`Überweisung "42" <b>bold</b> ✓`}, ${"line one\nline two\ttabbed \\ backslash"}, '/reports/7', 'Open',
              ${actor.id}, 'report', 'r-7', ${testSql().json({ nested: { list: [1, 2.5, "x"], nil: null }, emoji: "🎉" })},
              now() + interval '1 hour 0.123456 seconds', null)`);
    const range = { userId: user.id, after, upTo: after + 1, withPreferences: true };
    // The dispatcher's decision for this range: from the WAL's rows, no read needed.
    const taken = wal.take(range, Date.now());
    expect(taken).not.toBeNull();
    if (!taken) return;
    const round = await readRound(testSql(), [range]);
    const fromWal = changeFrames(taken.changes, taken.prefs, { quiet: false }).map((f) => parseFrame(f.bytes));
    const fromTables = changeFrames(round.changes, toPreferencesDTO(round.preferences.get(user.id) ?? null), { quiet: false }).map((f) => parseFrame(f.bytes));
    expect(fromWal).toHaveLength(1);
    expect(fromWal[0].event).toBe("notification.created");
    expect(fromWal[0].data.title).toBe(`Überweisung "42" <b>bold</b> ✓`);
    expect(fromWal[0].data.actor).toEqual({ id: actor.id, name: actor.name });
    expect(fromWal).toEqual(fromTables);
    expect(taken.counts).toEqual(round.counts.get(user.id));
  });

  it("carry exactly what the API shows for the row, and the API's counts", async () => {
    const [user, actor] = await Promise.all([createTestUser("walrow"), createTestUser("walactor")]);
    const { client, stream } = await openStream(user);
    try {
      const title = `Überweisung "42" <b>bold</b> ✓ ${Math.random()}`;
      const [row] = await testSql()<{ id: string }[]>`
        insert into notifications (user_id, category, priority, title, body, action_url, action_label, actor_id,
                                   subject_type, subject_id, metadata, expires_at, seen_at)
        values (${user.id}, 'report', 'high', ${title}, ${"line one\nline two\ttabbed \\ backslash"}, '/reports/7', 'Open',
                ${actor.id}, 'report', 'r-7', ${testSql().json({ nested: { list: [1, 2.5, "x"], nil: null }, emoji: "🎉" })},
                now() + interval '1 hour 0.123456 seconds', null)
        returning id::text`;
      const { created, count } = await arrival(stream, title);
      const { delivery, ...dto } = created.data;
      const api = await client.json(`/api/notifications/${row.id}`);
      expect(api.status).toBe(200);
      const { deliveries: _, ...shown } = api.body;
      expect(dto).toEqual(shown);
      expect(dto.actor).toEqual({ id: actor.id, name: actor.name });
      expect(dto.metadata).toEqual({ nested: { list: [1, 2.5, "x"], nil: null }, emoji: "🎉" });
      expect(delivery).toMatchObject({ inApp: true, toast: true });
      const counts = (await client.json("/api/notifications/unread-count")).body;
      expect(count).toEqual({ unreadCount: counts.unreadCount, unseenCount: counts.unseenCount });
    } finally {
      stream.close();
    }
  });

  it("decide delivery by the preferences as they are now, right after a change", async () => {
    const user = await createTestUser("walprefs");
    const { client, stream } = await openStream(user);
    try {
      await testSql()`insert into notifications (user_id, category, title) values (${user.id}, 'task', 'warm up')`;
      expect((await arrival(stream, "warm up")).created.data.delivery).toMatchObject({ inApp: true, toast: true });
      const put = await client.fetch("/api/preferences", {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ categories: { task: { toast: false } } }),
      });
      expect(put.status).toBe(200);
      await testSql()`insert into notifications (user_id, category, title) values (${user.id}, 'task', 'after the change')`;
      expect((await arrival(stream, "after the change")).created.data.delivery).toMatchObject({ inApp: true, toast: false });
    } finally {
      stream.close();
    }
  });

  it("count an unread row that expired out, as a read would", async () => {
    const user = await createTestUser("walexpiry");
    const { client, stream } = await openStream(user);
    try {
      await testSql()`insert into notifications (user_id, title) values (${user.id}, 'stays')`;
      await arrival(stream, "stays");
      await testSql()`insert into notifications (user_id, title, expires_at) values (${user.id}, 'short-lived', now() + interval '1.5 seconds')`;
      expect((await arrival(stream, "short-lived")).count.unreadCount).toBe(2);
      await new Promise((r) => setTimeout(r, 2_000));
      await testSql()`insert into notifications (user_id, title) values (${user.id}, 'after expiry')`;
      const { count } = await arrival(stream, "after expiry");
      expect(count.unreadCount).toBe(2);
      expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(2);
    } finally {
      stream.close();
    }
  });

  it("show only committed states: a row inserted and read in one long transaction arrives read, without a toast", async () => {
    const [user, other] = await Promise.all([createTestUser("waltx"), createTestUser("waltxother")]);
    const { client, stream } = await openStream(user);
    try {
      const title = `read at once ${Math.random()}`;
      // Megabytes of other rows between the insert and the update, so the transaction reaches the
      // server over many reads: the feed must hand it over whole, with the update, not the insert alone.
      await testSql().begin(async (tx) => {
        await tx`insert into notifications (user_id, title) values (${user.id}, ${title})`;
        await tx`insert into notifications (user_id, title, body) select ${other.id}, 'filler', repeat('x', 2000) from generate_series(1, 2000)`;
        await tx`update notifications set read_at = now() where user_id = ${user.id} and title = ${title}`;
      });
      const { created, count } = await arrival(stream, title);
      expect(created.data.readAt).toEqual(expect.any(String));
      expect(created.data.delivery).toMatchObject({ toast: false, browser: false, sound: false });
      expect(count.unreadCount).toBe(0);
      expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(0);
    } finally {
      stream.close();
    }
  });

  it("keep the grouped and the token's rows, which the WAL does not carry whole, exactly as read", async () => {
    const user = await createTestUser("walgroup");
    const { client, stream } = await openStream(user);
    try {
      await testSql()`insert into notifications (user_id, category, title, group_key) values (${user.id}, 'message', 'g one', 'room:1')`;
      await arrival(stream, "g one");
      await testSql()`insert into notifications (user_id, category, title, group_key) values (${user.id}, 'message', 'g two', 'room:1')`;
      const { created, count } = await arrival(stream, "g two");
      expect(created.data.group).toMatchObject({ key: "room:1", count: 2 });
      expect(count.unreadCount).toBe(1);
      expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(1);
    } finally {
      stream.close();
    }
  });
});
