import net from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { BASE_URL } from "./support/env";
import { seqOf, sleep } from "./support/resuming-stream";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

const streamCount = async () => (await new Client().json("/api/health")).body.realtime.streams as number;

async function untilCount(ok: (n: number) => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let n = await streamCount();
  while (!ok(n)) {
    if (Date.now() > deadline) throw new Error(`${what}: stream count is ${n}`);
    await sleep(100);
    n = await streamCount();
  }
  return n;
}

/** A client that reads the stream's start, then stops reading at all (its socket is paused). */
function stalledStream(cookie: string) {
  const url = new URL(BASE_URL());
  const socket = net.connect(Number(url.port), url.hostname);
  let text = "";
  let stalled = false;
  const ready = new Promise<void>((resolve, reject) => {
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      if (!stalled && text.includes("event: ready")) {
        stalled = true;
        socket.pause();
        resolve();
      }
    });
    socket.on("error", reject);
  });
  socket.write(`GET /api/notifications/stream HTTP/1.1\r\nHost: ${url.host}\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\n\r\n`);
  const ended = new Promise<string>((resolve) => {
    socket.on("close", () => resolve(text));
    socket.on("error", () => {});
  });
  return { ready, resume: () => socket.resume(), ended };
}

describe("bounded resources", () => {
  it("opening and closing 1,000 streams brings the subscriber count back to where it was", async () => {
    const baseline = await streamCount();
    // 20 streams each: the most one user may hold on one process.
    const users = await Promise.all(Array.from({ length: 50 }, (_, i) => createTestUser(`many${i}`)));
    // Ten sign-ins at a time: each counts against 127.0.0.1's failed-sign-in budget (50) until it
    // succeeds, so fifty at once sat exactly at the limit, and one failed attempt elsewhere in the
    // suite's window (tests/apps-subscribers.test.ts makes one) turned the last into a 429.
    const clients: Client[] = [];
    for (let i = 0; i < users.length; i += 10) clients.push(...(await Promise.all(users.slice(i, i + 10).map((u) => Client.signedIn(u)))));
    const aborts = Array.from({ length: 1_000 }, () => new AbortController());
    const responses = await Promise.all(
      aborts.map((a, i) => clients[i % clients.length].fetch("/api/notifications/stream", { signal: a.signal })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    await untilCount((n) => n >= baseline + 1_000, "all 1,000 streams registered");
    for (const a of aborts) a.abort();
    await untilCount((n) => n === baseline, "every stream unregistered");
  }, 120_000);

  it("drops a client that stopped reading once it is 1 MB behind, and lets it resume without loss", async () => {
    const user = await createTestUser("slow");
    const client = await Client.signedIn(user);
    const baseline = await streamCount();
    const slow = stalledStream(client.cookieHeader());
    await slow.ready;
    expect(await streamCount()).toBe(baseline + 1);
    // ~24 MB in 40 separate statements: far beyond the kernel's socket buffers plus our 1 MB allowance.
    const body = "x".repeat(60 * 1024);
    const ids: string[] = [];
    for (let i = 0; i < 40 && (await streamCount()) > baseline; i++) {
      const rows = await testSql()<{ id: string }[]>`
        insert into notifications (user_id, title, body) select ${user.id}, 'big ' || ${i} || '.' || g, ${body}
          from generate_series(1, 10) g returning id::text`;
      ids.push(...rows.map((r) => r.id));
      await sleep(20);
    }
    await untilCount((n) => n === baseline, "the slow client is dropped");
    // The client reads what reached it before the cut, then resumes from the last complete event.
    slow.resume();
    const text = await slow.ended;
    // Only complete frames count, as in a browser: a cut-off last frame was not received.
    const frames = [...text.matchAll(/id: (\S+)\nevent: ([a-z.]+)\ndata: ([^\n]*)\n\n/g)];
    const received = frames.filter((m) => m[2] === "notification.created").map((m) => JSON.parse(m[3]).id as string);
    expect(received.length).toBeLessThan(ids.length);
    const resumed = await SseReader.open(client, "", { "Last-Event-ID": frames.at(-1)![1] });
    try {
      await resumed.waitFor((e) => e.event === "notification.created" && e.data.id === ids.at(-1), 20_000);
      const all = [...received, ...resumed.named("notification.created").map((e) => e.data.id)];
      expect(all).toEqual(ids);
    } finally {
      resumed.close();
    }
  }, 120_000);

  it("holds at most HERALD_MAX_STREAMS_PER_USER (20) streams per user: the oldest is told why and closed", async () => {
    const user = await createTestUser("capped");
    const client = await Client.signedIn(user);
    const before = await streamCount();
    const streams: SseReader[] = [];
    try {
      for (let i = 0; i < 20; i++) streams.push(await SseReader.open(client));
      expect(await streamCount()).toBe(before + 20);
      streams.push(await SseReader.open(client));
      await streams[0].closed;
      expect(streams[0].endedCleanly).toBe(true);
      expect(streams[0].events.at(-1)).toEqual({ event: "stream.closed", data: { reason: "too-many-streams" } });
      expect(await streamCount()).toBe(before + 20);
      // The others are untouched and live.
      await testSql()`insert into notifications (user_id, title) values (${user.id}, 'to the 20')`;
      for (const s of streams.slice(1)) await s.waitFor((e) => e.data?.title === "to the 20");
      expect(streams.slice(1).every((s) => s.named("stream.closed").length === 0)).toBe(true);
    } finally {
      for (const s of streams) s.close();
    }
  }, 60_000);

  it("ends a stream when its session expires: it cannot resume signed out, and loses nothing once signed in", async () => {
    const user = await createTestUser("expiry");
    // A session (row and token) like sign-in creates, but valid for 3 seconds only.
    const [{ sid }] = await testSql()<{ sid: string }[]>`
      insert into sessions (user_id, expires_at) values (${user.id}, now() + interval '3 seconds') returning id as sid`;
    const token = await encode({
      token: { sub: user.id, sid, name: user.name, email: user.email },
      secret: process.env.AUTH_SECRET!,
      salt: "authjs.session-token",
      maxAge: 3,
    });
    const shortLived = new Client();
    shortLived.setCookie("authjs.session-token", token);
    const stream = await SseReader.open(shortLived);
    await testSql()`insert into notifications (user_id, title) values (${user.id}, 'while signed in')`;
    await stream.waitFor((e) => e.data?.title === "while signed in");
    await stream.closed;
    expect(stream.endedCleanly).toBe(true);
    await testSql()`insert into notifications (user_id, title) values (${user.id}, 'after expiry')`;
    const refused = await shortLived.fetch("/api/notifications/stream");
    expect(refused.status).toBe(401);
    await refused.body?.cancel();

    const again = await SseReader.open(await Client.signedIn(user), "", { "Last-Event-ID": stream.lastId! });
    try {
      const missed = await again.waitFor((e) => e.event === "notification.created");
      expect(missed.data.title).toBe("after expiry");
      expect(seqOf(missed)).toBe(seqOf(stream.named("notification.created")[0]) + 1);
    } finally {
      again.close();
    }
  }, 60_000);
});
