// The measurements, one function each. They share a context: the running server, a SQL handle, the
// bench users with their session tokens, the writer process, and a router for received events.
import { SseClients, now } from "./sse-clients.mjs";
import { sleep, transactions } from "./env.mjs";
import { Pollers } from "./pollers.mjs";
import { insertRate } from "./raw.mjs";

export const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);

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
  const tx0 = await transactions(ctx.sql);
  const result = await ctx.writer.run({ mode: "paced", rate, seconds, users: ctx.connected });
  await until(() => result.commits.every(([id]) => arrived.has(id)), 20_000);
  await sleep(1500); // the database publishes its statistics about once a second
  const tx = (await transactions(ctx.sql)) - tx0;
  const ms = result.commits.filter(([id]) => arrived.has(id)).map(([id, t]) => arrived.get(id) - t).sort((a, b) => a - b);
  return {
    achievedRate: Math.round(result.count / result.seconds),
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    missing: result.count - ms.length,
    readTxPerSecond: Math.round((tx - result.count) / result.seconds),
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

/** A client that missed 1,000 notifications reconnects: time until it has the last one. */
export async function catchUp(ctx, userIndex, rounds = 3) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const token = [ctx.users.tokens[userIndex]];
    const first = new SseClients({ port: ctx.port });
    await first.open(token);
    const cursor = first.lastIds[0];
    first.closeAll();
    await ctx.sql`insert into notifications (user_id, title) select ${ctx.users.ids[userIndex]}, 'missed ' || g from generate_series(1, 1000) g`;
    let got = 0;
    let last = 0;
    const again = new SseClients({ port: ctx.port, onEvent: (_i, type, _id, _n, t) => type === "notification.created" && (got++, (last = t)) });
    const t0 = now();
    await again.open(token, { lastEventIds: [cursor] });
    await until(() => got >= 1000, 20_000);
    again.closeAll();
    times.push(got >= 1000 ? last - t0 : NaN);
  }
  return { ms: median(times), all: times };
}

/** Streams held by one process, and what each costs in server RSS. */
export async function connections(ctx, steps) {
  // Warm the stream path up (code compiled, pools connected) without growing the heap much.
  const warm = await connectClients(ctx, 0, 100);
  warm.clients.closeAll();
  await sleep(3000);
  const baseKb = ctx.server.rssKb();
  const held = [];
  const rows = [];
  let open = 0;
  for (const target of steps) {
    const batch = await connectClients(ctx, open, target - open);
    held.push(batch.clients);
    open = target;
    await sleep(3000);
    const rssKb = ctx.server.rssKb();
    rows.push({ connections: target, rssMb: Math.round(rssKb / 1024), perConnectionKb: +((rssKb - baseKb) / target).toFixed(1), openPerSecond: batch.openPerSecond });
  }
  return { baseMb: Math.round(baseKb / 1024), rows, held };
}

/** One notification for each of `n` connected users in one INSERT: time until the last has it. */
export async function broadcast(ctx, n) {
  const arrived = [];
  ctx.onCreated = (u, _id, t) => u < n && arrived.push(t);
  const ids = ctx.users.ids.slice(0, n);
  const t0 = now();
  await ctx.sql`insert into notifications (user_id, category, title) select unnest(${ids}::uuid[]), 'system', 'Maintenance tonight'`;
  const committed = now();
  await until(() => arrived.length >= n, 30_000);
  const sorted = arrived.map((t) => t - committed).sort((a, b) => a - b);
  return { clients: n, received: arrived.length, lastMs: sorted.at(-1), p50Ms: percentile(sorted, 50), insertMs: committed - t0 };
}

/** One event, one frame, to `n` streams of the same user: the fan-out alone (serialised once). */
export async function fanOut(ctx, n) {
  let received = 0;
  let last = 0;
  const clients = new SseClients({
    port: ctx.port,
    onEvent: (_i, type, _id, _n, t) => {
      if (type === "notification.created") {
        received++;
        last = t;
      }
    },
  });
  await clients.open(Array(n).fill(ctx.users.tokens[0]));
  await ctx.sql`insert into notifications (user_id, category, title) values (${ctx.users.ids[0]}, 'system', 'To every tab')`;
  const committed = now();
  await until(() => received >= n, 30_000);
  clients.closeAll();
  return { streams: n, received, lastMs: last - committed };
}
