// The measurements, one function each. They share a context: the running server, a SQL handle, the
// bench users with their session tokens, the writer process, and a router for received events.
import { SseClients, now } from "./sse-clients.mjs";
import { sleep, transactions } from "./env.mjs";
import { Pollers } from "./pollers.mjs";
import { httpLoad } from "./http-load.mjs";
import { insertRate } from "./raw.mjs";

export const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);

/**
 * What the server's delivery rounds did between two scrapes of its metrics: ranges published from the
 * WAL's rows and read from the tables, and the time its rounds spent reading and publishing.
 */
function delivery(before, after) {
  const d = (name, labels) => after.value(name, labels) - before.value(name, labels);
  return {
    fromWal: d("herald_delivery_ranges_total", { source: "wal" }),
    fromTables: d("herald_delivery_ranges_total", { source: "tables" }),
    readMs: d("herald_delivery_round_seconds_sum", { phase: "read" }) * 1000,
    publishMs: d("herald_delivery_round_seconds_sum", { phase: "publish" }) * 1000,
  };
}

async function until(test, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!test() && Date.now() < deadline) await sleep(10);
  return test();
}

/** Opens one stream for each of the first `n` users, routing notification.created to ctx.onCreated. */
export async function connectClients(ctx, from, n) {
  const clients = new SseClients({
    port: ctx.port,
    onEvent: (i, type, id, notificationId, t) => {
      if (notificationId) ctx.onCreated(from + i, notificationId, t);
    },
  });
  const t0 = now();
  await clients.open(ctx.users.tokens.slice(from, from + n));
  return { clients, openPerSecond: Math.round(n / ((now() - t0) / 1000)) };
}

/** Runs `write` and counts the clients' deliveries until every written notification has arrived. */
async function countDeliveries(ctx, write) {
  let received = 0;
  let last = 0;
  ctx.onCreated = (_u, _id, t) => {
    received++;
    last = t;
  };
  const t0 = now();
  const written = await write();
  const complete = await until(() => received >= written, 20_000);
  return { written, received, complete, perSecond: Math.round(received / ((last - t0) / 1000)) };
}

/** Delivered notifications per second, end to end, with `writers` concurrent writers. */
export async function throughput(ctx, writers, seconds = 5) {
  return countDeliveries(ctx, async () => (await ctx.writer.run({ mode: "max", writers, seconds, users: ctx.connected })).count);
}

/**
 * The delivery side alone: the same clients, written to by raw single-row INSERTs (no app write path),
 * so the figure is what the listener and streams keep up with rather than what the writer manages.
 */
export async function rawThroughput(ctx, writers, seconds = 5) {
  const { written, ...rest } = await countDeliveries(
    ctx,
    async () => (await insertRate(ctx.url, { table: "notifications", writers, seconds, users: ctx.connected })).count,
  );
  return { inserted: written, ...rest };
}

/** Commit-to-client latency at a fixed write rate, plus the DB transactions/s the app spent reading. */
export async function latency(ctx, rate = 1000, seconds = 5) {
  const arrived = new Map();
  ctx.onCreated = (_u, id, t) => arrived.has(id) || arrived.set(id, t);
  const metrics0 = await ctx.server.metrics();
  const tx0 = await transactions(ctx.sql);
  const result = await ctx.writer.run({ mode: "paced", rate, seconds, users: ctx.connected });
  await until(() => result.commits.every(([id]) => arrived.has(id)), 20_000);
  await sleep(1500); // the database publishes its statistics about once a second
  const tx = (await transactions(ctx.sql)) - tx0;
  const server = delivery(metrics0, await ctx.server.metrics());
  const ms = result.commits.filter(([id]) => arrived.has(id)).map(([id, t]) => arrived.get(id) - t).sort((a, b) => a - b);
  return {
    achievedRate: Math.round(result.count / result.seconds),
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    missing: result.count - ms.length,
    // The two scrapes of /api/metrics are transactions too, with the bench's own statistics reads.
    readTxPerSecond: Math.round((tx - result.count) / result.seconds),
    server,
  };
}

/** The peer to beat: every client polls GET /api/notifications every 2 s, under the same writes. */
export async function polling(ctx, rate = 1000, seconds = 6) {
  const pollers = new Pollers({ port: ctx.port, tokens: ctx.users.tokens.slice(0, ctx.connected.length), everyMs: 2000 });
  pollers.start();
  await sleep(2500); // every poller has started its cycle
  const tx0 = await transactions(ctx.sql);
  const polls0 = pollers.polls;
  const t0 = now();
  const result = await ctx.writer.run({ mode: "paced", rate, seconds, users: ctx.connected });
  await sleep(2500); // one more full polling cycle
  await sleep(1500);
  const elapsed = (now() - t0) / 1000;
  const tx = (await transactions(ctx.sql)) - tx0;
  const polls = pollers.polls - polls0;
  pollers.stop();
  const ms = result.commits.filter(([id]) => pollers.seen.has(id)).map(([id, t]) => pollers.seen.get(id) - t).sort((a, b) => a - b);
  return {
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    notSeen: result.count - ms.length,
    pollsPerSecond: Math.round(polls / elapsed),
    pollP50: percentile([...pollers.durations].sort((a, b) => a - b), 50),
    readTxPerSecond: Math.round((tx - result.count) / elapsed),
    readTxPerPoll: polls ? (tx - result.count) / polls : NaN,
  };
}

/**
 * A client that missed `missed` notifications reconnects with its cursor: time until it has the last
 * one. Up to the replay window (5,000 changes) the stream replays them; beyond it the stream answers
 * sync.reset and the client refetches its first page, which then holds the last one (`via`).
 */
export async function catchUp(ctx, userIndex, { missed = 1000, rounds = 3 } = {}) {
  const times = [];
  let via = "replay";
  for (let r = 0; r < rounds; r++) {
    const token = ctx.users.tokens[userIndex];
    const first = new SseClients({ port: ctx.port });
    await first.open([token]);
    const cursor = first.lastIds[0];
    first.closeAll();
    await ctx.sql`insert into notifications (user_id, title) select ${ctx.users.ids[userIndex]}, 'missed ' || g from generate_series(1, ${missed}) g`;
    let got = 0;
    let last = 0;
    let resetAt = 0;
    const again = new SseClients({
      port: ctx.port,
      onEvent: (_i, type, _id, _n, t) => {
        if (type === "notification.created") (got++, (last = t));
        else if (type === "sync.reset") resetAt = t;
      },
    });
    const t0 = now();
    await again.open([token], { lastEventIds: [cursor] });
    await until(() => got >= missed || resetAt > 0, 30_000);
    if (resetAt) {
      via = "sync.reset + first page";
      const res = await fetch(`http://127.0.0.1:${ctx.port}/api/notifications?limit=20`, { headers: { cookie: `authjs.session-token=${token}` } });
      const page = await res.json();
      times.push(page.items?.[0]?.title === `missed ${missed}` ? now() - t0 : NaN);
    } else {
      times.push(got >= missed ? last - t0 : NaN);
    }
    again.closeAll();
  }
  return { ms: median(times), all: times, missed, via };
}

/**
 * Chat message POSTs through the running server (session, validation, rate limit, the one-statement
 * write with its notification), against a trivial route handler (the session check, then a constant)
 * in the same run. Senders are spread over `pairs` rooms so that no per-user limit is reached.
 */
export async function httpRates(ctx, { pairs, concurrency = 32, seconds = 5 }) {
  const { ids, tokens } = ctx.users;
  const rooms = await ctx.sql`
    insert into rooms (user_a_id, user_b_id)
    select least(a, b), greatest(a, b) from unnest(${ids.slice(0, pairs)}::uuid[], ${ids.slice(pairs, 2 * pairs)}::uuid[]) as p(a, b)
    on conflict do nothing returning id, user_a_id`;
  const origin = `http://127.0.0.1:${ctx.port}`;
  const tokenOf = new Map(ids.map((id, i) => [id, tokens[i]]));
  const messages = await httpLoad({
    port: ctx.port,
    seconds,
    concurrency,
    request: (worker, i) => {
      const room = rooms[(worker + i * concurrency) % rooms.length];
      return {
        method: "POST",
        path: `/api/rooms/${room.id}/messages`,
        headers: { cookie: `authjs.session-token=${tokenOf.get(room.user_a_id)}`, origin, "content-type": "application/json" },
        body: JSON.stringify({ body: `bench message ${worker}-${i}` }),
      };
    },
  });
  // The same session cookies: the baseline pays for the session check, and nothing else.
  const baseline = await httpLoad({
    port: ctx.port,
    seconds,
    concurrency,
    request: (worker, i) => ({
      path: "/api/push/vapid-public-key",
      headers: { cookie: `authjs.session-token=${tokenOf.get(rooms[(worker + i * concurrency) % rooms.length].user_a_id)}` },
    }),
  });
  return { messages, baseline, concurrency, rooms: rooms.length };
}

/** Streams held by one process, and what each costs in server RSS. */
export async function connections(ctx, steps) {
  // Warm the stream path up (code compiled, pools connected) without growing the heap much.
  const warm = await connectClients(ctx, 0, 100);
  warm.clients.closeAll();
  await sleep(3000);
  const baseKb = ctx.server.rssKb();
  const base = await ctx.server.metrics();
  const held = [];
  const rows = [];
  let open = 0;
  for (const target of steps) {
    const batch = await connectClients(ctx, open, target - open);
    held.push(batch.clients);
    open = target;
    await sleep(3000);
    const rssKb = ctx.server.rssKb();
    // Where the growth is: V8's heap (live objects and garbage not yet collected) and memory outside
    // it that V8 knows of (buffers); the rest is native (sockets, HTTP parsers, the allocator).
    const now = await ctx.server.metrics();
    const perKb = (name) => +((now.value(name) - base.value(name)) / 1024 / target).toFixed(1);
    rows.push({
      connections: target,
      rssMb: Math.round(rssKb / 1024),
      perConnectionKb: +((rssKb - baseKb) / target).toFixed(1),
      heapKb: perKb("nodejs_heap_size_used_bytes"),
      externalKb: perKb("nodejs_external_memory_bytes"),
      openPerSecond: batch.openPerSecond,
    });
  }
  return { baseMb: Math.round(baseKb / 1024), rows, held };
}

/** One notification for each of `n` connected users in one INSERT: time until the last has it. */
export async function broadcast(ctx, n) {
  const arrived = [];
  ctx.onCreated = (u, _id, t) => u < n && arrived.push(t);
  const ids = ctx.users.ids.slice(0, n);
  const metrics0 = await ctx.server.metrics();
  const t0 = now();
  await ctx.sql`insert into notifications (user_id, category, title) select unnest(${ids}::uuid[]), 'system', 'Maintenance tonight'`;
  const committed = now();
  await until(() => arrived.length >= n, 30_000);
  await sleep(500);
  const server = delivery(metrics0, await ctx.server.metrics());
  const sorted = arrived.map((t) => t - committed).sort((a, b) => a - b);
  return { clients: n, received: arrived.length, firstMs: sorted[0], lastMs: sorted.at(-1), p50Ms: percentile(sorted, 50), insertMs: committed - t0, server };
}

/** One event, one frame, to `n` streams of the same user: the fan-out alone (serialised once). */
export async function fanOut(ctx, n) {
  let received = 0;
  let first = 0;
  let last = 0;
  const clients = new SseClients({
    port: ctx.port,
    onEvent: (_i, type, _id, _n, t) => {
      if (type === "notification.created") {
        if (received++ === 0) first = t;
        last = t;
      }
    },
  });
  await clients.open(Array(n).fill(ctx.users.tokens[0]));
  const metrics0 = await ctx.server.metrics();
  await ctx.sql`insert into notifications (user_id, category, title) values (${ctx.users.ids[0]}, 'system', 'To every tab')`;
  const committed = now();
  await until(() => received >= n, 30_000);
  const server = delivery(metrics0, await ctx.server.metrics());
  clients.closeAll();
  return { streams: n, received, firstMs: first - committed, lastMs: last - committed, server };
}
