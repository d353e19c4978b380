import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "@/lib/realtime/cursor";
import { closeTestSql, testSql } from "./support/db";
import { RawStream } from "./support/raw-stream";
import { seqOf, sleep } from "./support/resuming-stream";
import { SecondInstance } from "./support/second-instance";
import { serverRssBytes } from "./support/server-process";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

/**
 * A server of its own with a 2-second stream heartbeat: a client that stopped reading is dropped
 * after two heartbeats, so the drops come within seconds instead of the default's 30 s. Its memory
 * is that of this test's streams alone. Its change feed keeps at most 100 changes of a transaction,
 * so a transaction "too big to keep" takes a hundred rows, not fifty thousand.
 */
let server: SecondInstance;
const MAX_TRANSACTION_CHANGES = 100;
beforeAll(async () => {
  server = await SecondInstance.start(Number(process.env.HERALD_TEST_PORT_B), {
    HERALD_STREAM_HEARTBEAT_S: "2",
    HERALD_FEED_MAX_TRANSACTION_CHANGES: String(MAX_TRANSACTION_CHANGES),
  });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  await closeTestSql();
});

const MB = 1024 * 1024;
/**
 * What the stalled streams may add to the server's RSS. Held per stream is one piece (16 KB) and
 * what Node's socket buffer took. But every frame written is an ArrayBuffer outside V8's heap that
 * V8 collects only once about 64 MB of them were allocated since its last collection, and once the
 * kernel's socket buffers are full the server is idle, so nothing triggers one: RSS then holds much
 * of what the 16 replays pushed through (16 x 6 MB), and measured 16-98 MB between runs. The
 * bound catches a server that copies replays (reading them whole cost +298 MB), not the piece size
 * itself; what bounds each stream is checked below (dropped, reset, resumed without a gap).
 */
const MAX_GROWTH_MB = 160;
const NOTIFICATIONS = 1_000;
/** Resumes from before every notification: ~20 MB, over the replay cap (sync.reset). */
const FROM_START = 4;
/** Resumes 300 notifications (~6 MB) back: under the cap, so replayed, into a client that never reads. */
const STALLED = 16;
const STALLED_FROM = NOTIFICATIONS - 300;

const health = async () => (await new Client(server.url).json("/api/health")).body.realtime as { streams: number; streamsOpened: number };

describe("bounded memory for a transaction too big for the change feed to keep", () => {
  it("holds none of it, and delivers it from the tables: every notification once, in order, with the count", async () => {
    const user = await createTestUser("bigtx");
    const stream = await SseReader.open(await Client.signedIn(user, server.url));
    try {
      const rows = MAX_TRANSACTION_CHANGES + 20;
      await testSql()`insert into notifications (user_id, title) select ${user.id}, 'bulk ' || g from generate_series(1, ${rows}) g`;
      await stream.waitFor((e) => e.event === "notifications.count" && e.data.unreadCount === rows, 30_000);
      const created = stream.named("notification.created");
      const seqs = created.map(seqOf);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
      expect(new Set(created.map((e) => e.data.title))).toEqual(new Set(Array.from({ length: rows }, (_, i) => `bulk ${i + 1}`)));
    } finally {
      stream.close();
    }
  });
});

describe("bounded memory for resumes that are never read", () => {
  it("20 stalled resumes of one user with 1,000 notifications of 20 KB: RSS grows at most 160 MB, each is dropped or reset, then resumes without a gap", async () => {
    const user = await createTestUser("memory");
    const client = await Client.signedIn(user, server.url);
    await testSql()`
      insert into notifications (user_id, title, body)
      select ${user.id}, 'big ' || g, repeat(md5(g::text), 640) from generate_series(1, ${NOTIFICATIONS}) g`;
    // One resume read in full first: the server's heap grows once under any replay traffic (V8 sizes
    // its young generation up); what is measured is what the stalled streams cost on top.
    const idle = (await health()).streams;
    const warmUp = await SseReader.open(client, "", { "Last-Event-ID": encodeCursor(user.id, STALLED_FROM) }, 60_000);
    warmUp.close();
    expect(warmUp.named("notification.created")).toHaveLength(NOTIFICATIONS - STALLED_FROM);
    while ((await health()).streams !== idle) await sleep(50); // the server has seen it go
    const before = await health();
    const rss0 = serverRssBytes(String(server.pid));

    const cookie = client.cookieHeader();
    const resets = Array.from({ length: FROM_START }, () => new RawStream(cookie, encodeCursor(user.id, 0), server.url));
    const stalled = Array.from({ length: STALLED }, () => new RawStream(cookie, encodeCursor(user.id, STALLED_FROM), server.url));
    // Until every stalled stream is dropped (the reset ones stay live), or memory has already grown too much.
    let peak = rss0;
    for (;;) {
      peak = Math.max(peak, serverRssBytes(String(server.pid)));
      const now = await health();
      const allOpened = now.streamsOpened >= before.streamsOpened + FROM_START + STALLED;
      if ((allOpened && now.streams === before.streams + FROM_START) || peak - rss0 > MAX_GROWTH_MB * MB) break;
      await sleep(100);
    }
    console.log(`server RSS ${Math.round(rss0 / MB)} MB, peak ${Math.round(peak / MB)} MB`);
    expect((peak - rss0) / MB).toBeLessThanOrEqual(MAX_GROWTH_MB);

    // Each dropped client reads what reached it (a run of the replay, in order), then resumes from there.
    for (const s of stalled) {
      s.resume();
      await s.closed;
      const frames = s.frames();
      expect(frames.some((f) => f.event === "ready")).toBe(false);
      const got = frames.filter((f) => f.event === "notification.created");
      const lastId = got.at(-1)?.id ?? encodeCursor(user.id, STALLED_FROM);
      const rest = await SseReader.open(client, "", { "Last-Event-ID": lastId }, 60_000);
      rest.close();
      const seqs = [...got.map((f) => Number(f.id!.split(".")[0])), ...rest.named("notification.created").map(seqOf)];
      expect(seqs).toEqual(Array.from({ length: NOTIFICATIONS - STALLED_FROM }, (_, i) => STALLED_FROM + 1 + i));
    }
    // A resume over the byte cap is told to refetch, with a cursor that resumes from now.
    for (const s of resets) {
      s.resume();
      while (!s.frames().some((f) => f.event === "ready")) await sleep(20);
      s.destroy();
      const [reset, ready, ...more] = s.frames();
      expect([reset.event, reset.data, ready.event, more]).toEqual(["sync.reset", { reason: "too-large" }, "ready", []]);
      expect(reset.id).toBe(ready.id);
      const again = await SseReader.open(client, "", { "Last-Event-ID": ready.id! });
      again.close();
      expect(again.events.map((e) => e.event)).toEqual(["ready"]);
    }
  }, 240_000);
});
