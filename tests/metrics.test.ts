import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketOf, rules } from "@/lib/rate-limit";
import { createAdminToken, fillRateLimit, service } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { BASE_URL } from "./support/env";
import { Scrape, TOKEN, scrape } from "./support/metrics";
import { SseReader } from "./support/sse";
import { Client, createAdminUser, createTestUser, type TestUser } from "./support/users";

afterAll(closeTestSql);

describe("GET /api/metrics", () => {
  let member: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    [member, admin] = await Promise.all([createTestUser("metricsmember"), createAdminUser("metricsadmin")]);
  });

  it("answers 401 signed out and with a wrong token, 403 to a member, the text format to an admin and to the token", async () => {
    const anonymous = await fetch(`${BASE_URL()}/api/metrics`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthorized");

    const wrong = await fetch(`${BASE_URL()}/api/metrics`, { headers: { Authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe("invalid_token");
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const asMember = await (await Client.signedIn(member)).json("/api/metrics");
    expect(asMember.status).toBe(403);
    expect(asMember.body.error.code).toBe("forbidden");

    // A wrong token decides, even with an admin's cookie.
    const adminClient = await Client.signedIn(admin);
    expect((await adminClient.fetch("/api/metrics", { headers: { Authorization: "Bearer not-the-token-at-all" } })).status).toBe(401);

    for (const res of [await adminClient.fetch("/api/metrics"), await fetch(`${BASE_URL()}/api/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const s = new Scrape(await res.text());
      expect(s.value("process_cpu_user_seconds_total")).toBeGreaterThan(0);
      expect(s.value("herald_realtime_path")).toBe(1);
      expect(s.value("herald_realtime_feed_healthy")).toBe(1);
      expect(s.value("herald_realtime_feed_state", { state: "listening" })).toBe(1);
      for (const queue of ["herald-email", "herald-push", "herald-cleanup", "herald-wake"]) {
        expect(s.samples.some((x) => x.name === "herald_job_queue_jobs" && x.labels.queue === queue && x.labels.state === "created")).toBe(true);
      }
    }
  });

  it("measures delivery latency from the commit, not from a created_at the writer chose", async () => {
    const user = await createTestUser("metricsbackdated");
    const stream = await SseReader.open(await Client.signedIn(user));
    try {
      const before = await scrape();
      await testSql()`insert into notifications (user_id, title, created_at) values (${user.id}, 'backdated', now() - interval '1 hour')`;
      await stream.waitFor((e) => e.event === "notification.created" && e.data.title === "backdated");
      const after = await scrape();
      const delta = (labels: Record<string, string>) =>
        after.value("herald_live_delivery_latency_seconds_bucket", labels) - before.value("herald_live_delivery_latency_seconds_bucket", labels);
      expect(delta({ le: "+Inf" })).toBe(1);
      expect(delta({ le: "10" })).toBe(1); // not an hour
    } finally {
      stream.close();
    }
  });

  it("counts notifications written through the app, the API and SQL, their live delivery and latency, and the requests", async () => {
    const user = await createTestUser("metricslive");
    const client = await Client.signedIn(user);
    const { token } = await createAdminToken("metricsapi");
    const before = await scrape();
    const stream = await SseReader.open(client);
    try {
      expect((await client.json("/api/notifications/test", { body: { title: "app", category: "system", count: 3 } })).status).toBe(201);
      expect((await service("/api/v1/notifications", { token: token.secret, body: { to: user.id, title: "api", category: "task" } })).status).toBe(201);
      await testSql()`insert into notifications (user_id, category, title) values (${user.id}, 'report', 'sql')`;
      await stream.waitFor(() => stream.named("notification.created").length === 5);

      const after = await scrape();
      const delta = (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);
      // Written by this process: app and api.
      expect(delta("herald_notifications_created_total", { category: "system", source: "app" })).toBe(3);
      expect(delta("herald_notifications_created_total", { category: "task", source: "api" })).toBe(1);
      expect(delta("herald_notifications_created_total", { source: "sql" })).toBe(0);
      // In the database, whoever wrote them.
      expect(delta("herald_db_notifications_created_total", { category: "system", source: "app" })).toBe(3);
      expect(delta("herald_db_notifications_created_total", { category: "task", source: "api" })).toBe(1);
      expect(delta("herald_db_notifications_created_total", { category: "report", source: "sql" })).toBe(1);
      // Delivered live to the one open stream.
      expect(delta("herald_live_notifications_total", { category: "system", source: "app" })).toBe(3);
      expect(delta("herald_live_notifications_total", { category: "task", source: "api" })).toBe(1);
      expect(delta("herald_live_notifications_total", { category: "report", source: "sql" })).toBe(1);
      expect(delta("herald_stream_live_events_total")).toBe(5);
      expect(delta("herald_live_delivery_latency_seconds_count")).toBe(5);
      expect(delta("herald_live_delivery_latency_seconds_bucket", { le: "+Inf" })).toBe(5);
      expect(delta("herald_streams_opened_total")).toBe(1);
      expect(after.value("herald_streams_open")).toBeGreaterThanOrEqual(1);
      // Requests by route pattern: never an id, an email or a query string in a label.
      expect(delta("herald_http_request_duration_seconds_count", { route: "/api/notifications/test", method: "POST", status: "201" })).toBe(1);
      expect(delta("herald_http_request_duration_seconds_count", { route: "/api/v1/notifications", method: "POST", status: "201" })).toBe(1);
      expect(after.samples.some((s) => s.labels.route === "/api/notifications/stream")).toBe(false);
      for (const secret of [user.id, user.email, token.secret, TOKEN]) expect(after.text).not.toContain(secret);
    } finally {
      stream.close();
    }

    // A resume replays what the stream missed.
    await testSql()`insert into notifications (user_id, category, title) values (${user.id}, 'report', 'missed')`;
    const beforeReplay = await scrape();
    const resumed = await SseReader.open(client, "", { "Last-Event-ID": stream.lastId! });
    try {
      expect(resumed.named("notification.created").map((e) => e.data.title)).toEqual(["missed"]);
    } finally {
      resumed.close();
    }
    const afterReplay = await scrape();
    expect(afterReplay.value("herald_replays_total", { outcome: "done" }) - beforeReplay.value("herald_replays_total", { outcome: "done" })).toBe(1);
    expect(afterReplay.value("herald_replay_bytes_count") - beforeReplay.value("herald_replay_bytes_count")).toBe(1);
    expect(afterReplay.value("herald_replay_bytes_sum") - beforeReplay.value("herald_replay_bytes_sum")).toBeGreaterThan(100);
  });

  it("counts rate-limited requests by rule, and emails sent", async () => {
    const user = await createTestUser("metricslimits", { verified: true });
    const client = await Client.signedIn(user);
    const before = await scrape();
    const rule = rules.testNotifications();
    await fillRateLimit(bucketOf(rule, user.id), rule.limit);
    expect((await client.json("/api/notifications/test", { body: { title: "one too many" } })).status).toBe(429);
    const limited = await scrape();
    expect(limited.value("herald_rate_limited_total", { rule: "test-notifications" }) - before.value("herald_rate_limited_total", { rule: "test-notifications" })).toBe(1);
    expect(limited.value("herald_http_request_duration_seconds_count", { route: "/api/notifications/test", status: "429" }) - before.value("herald_http_request_duration_seconds_count", { route: "/api/notifications/test", status: "429" })).toBe(1);

    // An urgent notification with email on goes out at once, to the test server's mail catcher.
    expect((await client.json("/api/preferences", { method: "PUT", body: { categories: { system: { email: true } } } })).status).toBe(200);
    await testSql()`insert into notifications (user_id, category, priority, title) values (${user.id}, 'system', 'urgent', 'mail me')`;
    const sentBefore = before.value("herald_email_messages_total", { outcome: "sent" });
    const deadline = Date.now() + 15_000;
    while ((await testSql()`select 1 from notification_deliveries where user_id = ${user.id} and channel = 'email' and status = 'sent'`).length === 0) {
      if (Date.now() > deadline) throw new Error("the email was never sent");
      await new Promise((r) => setTimeout(r, 100));
    }
    // Counted before its delivery row was marked sent.
    expect((await scrape()).value("herald_email_messages_total", { outcome: "sent" })).toBeGreaterThanOrEqual(sentBefore + 1);
  });
});
