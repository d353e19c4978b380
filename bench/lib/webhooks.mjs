// The webhook burst: 10,000 events committed at once (500 subscribers created, then 19 notifications
// each, by plain SQL), drained to a fast local receiver, with the server killed (SIGKILL) and started
// again once in the middle. Every event must arrive; duplicates (the sends in flight at the kill)
// are counted. Goal: drained in under 30 s, duplicates under 1%.
import http from "node:http";
import { AppServer, sleep } from "./env.mjs";

const SUBSCRIBERS = 500;

function receiver() {
  const ids = new Map();
  const marks = [];
  let total = 0;
  let last = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = req.headers["webhook-id"];
      if (!ids.has(id) && (ids.size + 1) % 1000 === 0) marks.push([ids.size + 1, Math.round(performance.now())]);
      ids.set(id, (ids.get(id) ?? 0) + 1);
      total++;
      last = performance.now();
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ marks, url: `http://127.0.0.1:${server.address().port}/hook`, ids, total: () => total, last: () => last, close: () => new Promise((r) => server.close(r)) }),
    ),
  );
}

/** An admin session for the bench's first user (HERALD_ADMIN_EMAILS names it; the address is verified). */
async function adminCall(ctx, path, body) {
  const res = await fetch(`http://127.0.0.1:${ctx.port}${path}`, {
    method: "POST",
    headers: { cookie: `authjs.session-token=${ctx.users.tokens[0]}`, origin: `http://127.0.0.1:${ctx.port}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function webhookBurst(ctx, { events = 10_000, env }) {
  const hooks = await receiver();
  try {
    const { app } = await adminCall(ctx, "/api/apps", { name: "bench webhooks" });
    await adminCall(ctx, `/api/apps/${app.id}/webhooks`, { url: hooks.url, events: ["subscriber.created", "notification.created"] });
    const perSubscriber = Math.floor(events / SUBSCRIBERS) - 1;
    await ctx.sql.begin(async (tx) => {
      const subs = await tx`
        insert into users (name, app_id, external_id)
        select 'Sub ' || g, ${app.id}, 'wh_' || g from generate_series(1, ${SUBSCRIBERS}) g returning id`;
      await tx`
        insert into notifications (user_id, title)
        select s.id, 'burst ' || g from unnest(${subs.map((s) => s.id)}::uuid[]) s(id), generate_series(1, ${perSubscriber}) g`;
    });
    // From the commit: the events exist, the drain starts.
    const started = performance.now();
    const expected = SUBSCRIBERS * (perSubscriber + 1);
    const deadline = started + (process.env.HERALD_BENCH_WEBHOOK_DEBUG ? 20_000 : 120_000);
    while (hooks.ids.size < expected * 0.4 && performance.now() < deadline) await sleep(20);
    const killedAt = hooks.ids.size;
    const killMs = performance.now() - started;
    if (killedAt === 0) {
      const state = await ctx.sql`select status, count(*)::int as n from webhook_deliveries group by 1`;
      const errors = await ctx.sql`select error, status_code, count(*)::int as n from webhook_attempts group by 1, 2`;
      const jobs = await ctx.sql`select state, count(*)::int as n from pgboss.job where name = 'herald-webhooks' group by 1`;
      console.error({ state, errors, jobs }, ctx.server.log.join("").slice(-3000));
    }
    await ctx.server.kill();
    ctx.server = await AppServer.start({ port: ctx.port, env });
    const restartedMs = performance.now() - started;
    while (hooks.ids.size < expected && performance.now() < deadline) await sleep(50);
    const drainedMs = hooks.last() - started;
    await sleep(1000); // late duplicates of the last sends
    const duplicates = hooks.total() - hooks.ids.size;
    const progress = hooks.marks.map(([count, at]) => `${count}@${((at - started) / 1000).toFixed(1)}s`).join(" ");
    return { events: expected, received: hooks.ids.size, killedAt, killMs, restartedMs, progress, drainedMs, duplicates, duplicatePct: (100 * duplicates) / expected };
  } finally {
    await hooks.close();
  }
}
