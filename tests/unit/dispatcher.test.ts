import { beforeAll, describe, expect, it, vi } from "vitest";
import { toItemRow, type Change, type JoinState, type Round, type SeqRange, type Snapshot } from "@/db/queries/delivery";
import { Dispatcher, MAX_RANGE } from "@/lib/realtime/dispatch/dispatcher";
import type { DeliveryReads } from "@/lib/realtime/dispatch/table-reads";
import type { FeedTransaction, WalRow } from "@/lib/realtime/feed/transaction";
import type { Frame } from "@/lib/realtime/frames";
import { Hub, type Subscriber } from "@/lib/realtime/stream/hub";

// The dispatcher's rules against a fake of its port (DeliveryReads): a "database" of numbered
// changes, each in a transaction that new snapshots see only once the test says so, as PostgreSQL
// shows a commit a moment after logical decoding sent it.

// Frames carry signed resume cursors.
beforeAll(() => {
  process.env.AUTH_SECRET ??= "unit-test-secret-0123456789abcdef";
  process.env.DATABASE_URL ??= "postgres://unit@127.0.0.1:1/unit";
});

const U = "00000000-0000-4000-8000-00000000000a";
const V = "00000000-0000-4000-8000-00000000000b";
const CREATED = "2026-12-06 11:59:59.123456+00";

type Stored = { seq: number; xid: number; kind: "created" | "update" };

class FakeDatabase implements DeliveryReads {
  readonly changes = new Map<string, Stored[]>();
  readonly visible = new Set<number>();
  readonly calls = { joinStates: 0, round: 0, snapshot: 0 };
  readonly ranges: SeqRange[] = [];

  /** A change of `userId` in transaction `xid`, numbered next; `visible`: new snapshots see it at once. */
  commit(userId: string, xid: number, kind: Stored["kind"] = "created", visible = true) {
    const list = this.changes.get(userId) ?? [];
    const seq = (list.at(-1)?.seq ?? 0) + 1;
    list.push({ seq, xid, kind });
    this.changes.set(userId, list);
    if (visible) this.visible.add(xid);
    return seq;
  }

  private now(): Snapshot {
    const seen = new Set(this.visible);
    return { sees: (xid) => seen.has(xid) };
  }

  private seen(userId: string) {
    return (this.changes.get(userId) ?? []).filter((c) => this.visible.has(c.xid));
  }

  async joinStates(userIds: string[]) {
    this.calls.joinStates++;
    const snapshot = this.now();
    return new Map<string, JoinState>(userIds.map((u) => [u, { seq: this.seen(u).at(-1)?.seq ?? 0, preferences: null, nextExpiry: Infinity, snapshot }]));
  }

  async round(ranges: SeqRange[]): Promise<Round> {
    this.calls.round++;
    this.ranges.push(...ranges);
    const round: Round = { changes: [], counts: new Map(), current: new Map(), preferences: new Map(), nextExpiry: new Map(), snapshot: this.now() };
    for (const r of ranges) {
      const seen = this.seen(r.userId);
      for (const c of seen) if (c.seq > r.after && c.seq <= r.upTo) round.changes.push(change(r.userId, c));
      const unread = seen.filter((c) => c.kind === "created").length;
      round.counts.set(r.userId, { unreadCount: unread, unseenCount: unread });
      round.current.set(r.userId, seen.at(-1)?.seq ?? 0);
      round.nextExpiry.set(r.userId, Infinity);
      if (r.withPreferences) round.preferences.set(r.userId, null);
    }
    return round;
  }

  async snapshot() {
    this.calls.snapshot++;
    return this.now();
  }
}

function change(userId: string, c: Stored): Change {
  const row = toItemRow({
    id: String(c.seq), userId, seq: String(c.seq), category: "system", priority: "normal", title: `n${c.seq}`, body: "", actionUrl: null,
    actionLabel: null, sourceTokenId: null, subjectType: null, subjectId: null, metadata: {}, createdAt: CREATED, readAt: null,
    archivedAt: null, expiresAt: null, groupKey: null, seenAt: null, snoozedUntil: null, clickedAt: null, source: "sql", actorId: null,
    actorName: null, sourceTokenName: null,
  });
  return c.kind === "created" ? { kind: "created", userId, seq: c.seq, row } : { kind: "update", userId, seq: c.seq, ids: [String(c.seq)], row };
}

/** A new notification as pgoutput prints it. */
function walRow(userId: string, seq: number): WalRow {
  return {
    id: String(seq), user_id: userId, seq: String(seq), category: "system", priority: "normal", title: `n${seq}`, body: "",
    action_url: null, action_label: null, actor_id: null, source_token_id: null, subject_type: null, subject_id: null,
    metadata: "{}", created_at: CREATED, read_at: null, archived_at: null, expires_at: null, group_key: null, seen_at: null,
    snoozed_until: null, clicked_at: null, source: "sql", actor_name: null,
  };
}

/** What the replication transport hands over for new notifications `seqs` of `userId` in transaction `xid`. */
function walTransaction(xid: number, userId: string, seqs: number[], unread = seqs.at(-1)!): FeedTransaction {
  return {
    xid,
    committedAt: Date.now(),
    changes: seqs.flatMap((seq) => [
      { kind: "counts" as const, userId, counts: { seq, unread, unseen: unread } },
      { kind: "numbered" as const, userId, seq, op: "insert", row: walRow(userId, seq) },
    ]),
  };
}

/** What a NOTIFY hands over: a number, no row, no transaction id. */
const notified = (userId: string, seq: number, op = "insert"): FeedTransaction => ({ xid: null, committedAt: Date.now(), changes: [{ kind: "numbered", userId, seq, op }] });

function setUp() {
  const db = new FakeDatabase();
  const hub: Hub = new Hub({ maxStreamsPerUser: 5, heartbeatMs: 60_000, onFirstStream: (u) => dispatcher.join(u), onLastStream: (u) => dispatcher.leave(u) });
  const dispatcher = new Dispatcher(hub, db);
  /** Opens a stream of `userId`; resolves once its watermark is known. */
  async function open(userId: string) {
    const frames: Frame[] = [];
    const sub: Subscriber = { userId, deadline: Infinity, deliver: (f) => void frames.push(...f), heartbeat() {}, close: () => hub.unsubscribe(sub) };
    hub.subscribe(sub);
    const watermark = await hub.joined(userId);
    return { frames, watermark, seqs: () => frames.filter((f) => f.seq > 0).map((f) => f.seq), close: () => hub.unsubscribe(sub) };
  }
  return { db, hub, dispatcher, open };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const events = (frames: Frame[]) => frames.map((f) => new TextDecoder().decode(f.bytes).match(/^event: (.+)$/m)?.[1]);

describe("the dispatcher", () => {
  it("starts a joining user at their current number, then publishes each later change once, in order, with the count", async () => {
    const { db, dispatcher, open } = setUp();
    db.commit(U, 1);
    db.commit(U, 2);
    const stream = await open(U);
    expect(stream.watermark).toBe(2);
    const seq = db.commit(U, 3);
    dispatcher.transaction(notified(U, seq));
    await vi.waitFor(() => expect(stream.seqs()).toEqual([3]));
    expect(events(stream.frames)).toEqual(["notification.created", "notifications.count"]);
    dispatcher.transaction(notified(U, seq)); // announced twice: not published twice
    db.commit(U, 4, "update");
    dispatcher.transaction(notified(U, 4, "update"));
    await vi.waitFor(() => expect(stream.seqs()).toEqual([3, 4]));
  });

  it("publishes a whole run of new rows from the WAL without reading the tables; anything else is read", async () => {
    const { db, dispatcher, open } = setUp();
    const stream = await open(U);
    db.commit(U, 100);
    db.commit(U, 100);
    dispatcher.transaction(walTransaction(100, U, [1, 2]));
    await vi.waitFor(() => expect(stream.seqs()).toEqual([1, 2]));
    expect(db.calls.round).toBe(0);
    expect(db.calls.snapshot).toBe(1);
    // A change to an existing row (no row in the WAL) in the same transaction as a new one: read, both.
    db.commit(U, 101);
    db.commit(U, 101, "update");
    const tx = walTransaction(101, U, [3]);
    tx.changes!.push({ kind: "numbered", userId: U, seq: 4, op: "update" }, { kind: "counts", userId: U, counts: { seq: 4, unread: 3, unseen: 3 } });
    dispatcher.transaction(tx);
    await vi.waitFor(() => expect(stream.seqs()).toEqual([1, 2, 3, 4]));
    expect(db.ranges).toEqual([{ userId: U, after: 2, upTo: 4, withPreferences: true }]);
  });

  it("never lets a watermark pass a change its snapshot did not see: it reads again until it does", async () => {
    const { db, dispatcher, open } = setUp();
    const stream = await open(U);
    db.commit(U, 200, "created", false);
    dispatcher.transaction(walTransaction(200, U, [1]));
    // The WAL's frame waits for a snapshot that sees its transaction: it is read instead, and held.
    await vi.waitFor(() => expect(db.calls.round).toBeGreaterThanOrEqual(2));
    expect(stream.seqs()).toEqual([]);
    db.visible.add(200);
    await vi.waitFor(() => expect(stream.seqs()).toEqual([1]));
  });

  it("delivers a change announced for a user whose stream was joining and whose first read missed it", async () => {
    const { db, dispatcher, open } = setUp();
    const seq = db.commit(U, 300, "created", false);
    dispatcher.transaction(walTransaction(300, U, [seq])); // nobody here listens for U yet: no read at all
    expect(db.calls).toEqual({ joinStates: 0, round: 0, snapshot: 0 });
    const stream = await open(U);
    expect(stream.watermark).toBe(0);
    await vi.waitFor(() => expect(db.calls.round).toBeGreaterThanOrEqual(1));
    db.visible.add(300);
    await vi.waitFor(() => expect(stream.seqs()).toEqual([1]));
  });

  it("catches every connected user up from the tables after the feed reconnects", async () => {
    const { db, dispatcher, open } = setUp();
    const [u, v] = [await open(U), await open(V)];
    db.commit(U, 400);
    db.commit(V, 400);
    db.commit(V, 401, "update");
    dispatcher.catchUp();
    await vi.waitFor(() => expect([u.seqs(), v.seqs()]).toEqual([[1], [1, 2]]));
  });

  it("catches everyone up after a transaction too big for the feed to keep, once snapshots see it", async () => {
    const { db, dispatcher, open } = setUp();
    const [u, v] = [await open(U), await open(V)];
    for (let i = 0; i < 3; i++) db.commit(U, 500, "created", false);
    db.commit(V, 500, "created", false);
    const joins = db.calls.joinStates;
    dispatcher.transaction({ xid: 500, committedAt: Date.now(), changes: null });
    // Not visible yet: no catch-up read (it could miss the transaction), only snapshot checks.
    await vi.waitFor(() => expect(db.calls.snapshot).toBeGreaterThanOrEqual(2));
    expect(db.calls.joinStates).toBe(joins);
    db.visible.add(500);
    await vi.waitFor(() => expect([u.seqs(), v.seqs()]).toEqual([[1, 2, 3], [1]]));
  });

  it(`reads at most ${MAX_RANGE} numbers of a user per round, and delivers the rest in order in the next`, async () => {
    const { db, dispatcher, open } = setUp();
    const stream = await open(U);
    for (let i = 0; i < MAX_RANGE + 5; i++) db.commit(U, 600);
    dispatcher.transaction(notified(U, MAX_RANGE + 5));
    await vi.waitFor(() => expect(stream.seqs()).toEqual(range(1, MAX_RANGE + 5)));
    expect(db.ranges.map((r) => [r.after, r.upTo])).toEqual([[0, MAX_RANGE], [MAX_RANGE, MAX_RANGE + 5]]);
  });

  it("keeps nothing for users without a stream here, and starts a returning user over", async () => {
    const { db, dispatcher, open } = setUp();
    const first = await open(U);
    first.close();
    db.commit(U, 700);
    dispatcher.transaction(walTransaction(700, U, [1]));
    expect(db.calls.round).toBe(0);
    const again = await open(U);
    expect(again.watermark).toBe(1);
    db.commit(U, 701);
    dispatcher.transaction(walTransaction(701, U, [2]));
    await vi.waitFor(() => expect(again.seqs()).toEqual([2]));
  });
});
