import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminStatsDTO } from "@/lib/admin/types";
import { closeTestSql, testSql } from "./support/db";
import { sleep } from "./support/resuming-stream";
import { SseReader } from "./support/sse";
import { Client, createAdminUser, createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

const sum = (values: (number | null)[]) => values.reduce<number>((n, v) => n + (v ?? 0), 0);
const perMinute = (s: AdminStatsDTO, category: string) => sum(s.notificationsPerMinute.find((c) => c.category === category)?.counts ?? []);
const engagement = (s: AdminStatsDTO, category: string) =>
  s.engagement.find((e) => e.category === category) ?? { sent: 0, read: 0, withAction: 0, clicked: 0 };
const channelTotal = (s: AdminStatsDTO, channel: string) => s.channels.filter((c) => c.channel === channel).reduce((n, c) => n + c.total, 0);

/** Polls the dashboard's figures until `done` holds (the instance samples itself every second here). */
async function statsUntil(admin: Client, done: (s: AdminStatsDTO) => boolean, timeoutMs = 15_000): Promise<AdminStatsDTO> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await admin.fetch("/api/admin/stats");
    expect(res.status).toBe(200);
    const s = (await res.json()) as AdminStatsDTO;
    if (done(s) || Date.now() > deadline) return s;
    await sleep(250);
  }
}

describe("the admin dashboard's figures (GET /api/admin/stats)", () => {
  let member: TestUser;
  let admin: Client;
  beforeAll(async () => {
    member = await createTestUser("dashmember");
    admin = await Client.signedIn(await createAdminUser("dashadmin"));
  });

  it("are for admins only: 401 signed out, 403 and a 404 page for a member", async () => {
    const anonymous = await new Client().fetch("/api/admin/stats");
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthorized");
    const client = await Client.signedIn(member);
    const forbidden = await client.fetch("/api/admin/stats");
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error).toMatchObject({ code: "forbidden" });
    expect((await client.fetch("/admin")).status).toBe(404);
    const page = await admin.fetch("/admin");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Admin");
  });

  it("count rows from any writer by category, read rate and click-through, and the email they queued", async () => {
    const user = await createTestUser("dashrows", { verified: true });
    const client = await Client.signedIn(user);
    // Email on for reports, at once: each report queues one email delivery.
    const prefs = await client.fetch("/api/preferences", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ categories: { report: { email: true } } }),
    });
    expect(prefs.status).toBe(200);
    const before = await statsUntil(admin, () => true);
    // Plain SQL, as another program would: 6 reports (4 with an action) and 3 tasks.
    const rows = await testSql()<{ id: string; category: string }[]>`
      insert into notifications (user_id, category, title, action_url)
      select ${user.id}, c::notification_category, 'dash ' || g, case when g <= 4 and c = 'report' then '/notifications' end
        from generate_series(1, 6) g, unnest(array['report', 'task']) c
       where c = 'report' or g <= 3
      returning id::text, category::text`;
    const reports = rows.filter((r) => r.category === "report").map((r) => r.id);
    const tasks = rows.filter((r) => r.category === "task").map((r) => r.id);
    expect([reports.length, tasks.length]).toEqual([6, 3]);
    // Three reports read, two of the four with an action opened (which reads them too), one task read.
    await testSql()`update notifications set read_at = now() where id in ${testSql()([reports[4], reports[5], tasks[0]])}`;
    await testSql()`update notifications set read_at = now(), clicked_at = now() where id in ${testSql()([reports[0], reports[1]])}`;

    const after = await statsUntil(admin, (s) => perMinute(s, "report") - perMinute(before, "report") >= 6);
    expect(perMinute(after, "report") - perMinute(before, "report")).toBe(6);
    expect(perMinute(after, "task") - perMinute(before, "task")).toBe(3);
    const [r0, r1] = [engagement(before, "report"), engagement(after, "report")];
    expect({ sent: r1.sent - r0.sent, read: r1.read - r0.read, withAction: r1.withAction - r0.withAction, clicked: r1.clicked - r0.clicked }).toEqual({
      sent: 6,
      read: 4,
      withAction: 4,
      clicked: 2,
    });
    const t1 = after.engagement.find((e) => e.category === "report")!;
    expect(t1.readRate).toBeCloseTo(t1.read / t1.sent, 10);
    expect(t1.clickRate).toBeCloseTo(t1.clicked / t1.withAction, 10);
    const [k0, k1] = [engagement(before, "task"), engagement(after, "task")];
    expect([k1.sent - k0.sent, k1.read - k0.read, k1.withAction - k0.withAction]).toEqual([3, 1, 0]);
    // One email delivery per report (queued by the trigger), none for the tasks.
    expect(channelTotal(after, "email") - channelTotal(before, "email")).toBe(6);
    expect(after.hours).toHaveLength(24);
    expect(after.minutes).toHaveLength(60);
  });

  it("show this instance's health and open streams, and the latency of what it delivered live", async () => {
    const user = await createTestUser("dashlive");
    const client = await Client.signedIn(user);
    const streams = await Promise.all([SseReader.open(client), SseReader.open(client)]);
    try {
      const before = await statsUntil(admin, () => true);
      const deliveredBefore = sum(before.deliveredPerMinute);
      await testSql()`insert into notifications (user_id, title) select ${user.id}, 'live ' || g from generate_series(1, 5) g`;
      for (const s of streams) await s.waitFor(() => s.named("notification.created").length === 5);

      const after = await statsUntil(admin, (s) => sum(s.deliveredPerMinute) - deliveredBefore >= 5 && s.latencyMs.p50.some((v) => v !== null));
      // Each notification counts once however many streams it reached.
      expect(sum(after.deliveredPerMinute) - deliveredBefore).toBe(5);
      const p50 = after.latencyMs.p50.filter((v): v is number => v !== null);
      const p95 = after.latencyMs.p95.filter((v): v is number => v !== null);
      expect(p50.length).toBeGreaterThan(0);
      expect(p50.every((v) => v >= 0 && v <= 10_000)).toBe(true);
      expect(p95.at(-1)!).toBeGreaterThanOrEqual(p50.at(-1)!);

      const [health] = await Promise.all([client.fetch("/api/health").then((r) => r.json())]);
      const me = after.instances.find((i) => i.status === "ok" && (i.health.realtime as { path: string }).path === health.realtime.path);
      expect(me).toBeDefined();
      expect(me!.label).toMatch(/^.+:\d+$/);
      expect(me!.health).toMatchObject({ status: "ok", db: "ok", listener: "ok" });
      expect(me!.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
      const series = after.streams.find((s) => s.instance === me!.id)!;
      expect(series.values.filter((v) => v !== null).at(-1)).toBeGreaterThanOrEqual(2);
      expect(after.queue.depth.some((v) => v !== null)).toBe(true);
    } finally {
      for (const s of streams) s.close();
    }
  });
});
