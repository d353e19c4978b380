import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { CLEANUP_LOCK_KEY, runCleanup } from "@/lib/cleanup/cleanup.mjs";
import { createToken, service } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

const ROOT = path.resolve(__dirname, "..");

describe("expiry", () => {
  it("hides an expired notification everywhere at once, before any cleanup", async () => {
    const user = await createTestUser("expall");
    const client = await Client.signedIn(user);
    const token = await createToken(client);
    const sent = await service("/api/v1/notifications", {
      token: token.secret,
      body: { to: user.id, title: "Flash sale", expiresAt: new Date(Date.now() + 60_000).toISOString() },
    });
    const id = sent.body.notifications[0].id;
    expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(1);
    await testSql()`update notifications set expires_at = now() - interval '1 second' where id = ${id}`;

    expect((await client.json("/api/notifications")).body).toMatchObject({ items: [], unreadCount: 0 });
    expect((await client.json("/api/notifications?status=all&q=Flash")).body.items).toEqual([]);
    expect((await client.json("/api/notifications/unread-count")).body.unreadCount).toBe(0);
    expect((await client.json(`/api/notifications/${id}`)).status).toBe(404);
    expect((await client.json(`/api/notifications/${id}`, { method: "PATCH", body: { read: true } })).status).toBe(404);
    expect((await client.json(`/api/notifications/${id}/read`, { method: "POST" })).status).toBe(404);
    expect((await client.json(`/api/notifications/${id}`, { method: "DELETE" })).status).toBe(404);
    expect((await client.json("/api/notifications/batch", { body: { ids: [id], action: "delete" } })).body.updated).toBe(0);
    expect((await client.json("/api/notifications/read-all", { body: {} })).body.updated).toBe(0);
    expect((await service(`/api/v1/notifications/${id}`, { token: token.secret })).status).toBe(404);
  });
});

describe("cleanup job", () => {
  async function seedLifecycle(userId: string) {
    const rows = await testSql()<{ id: string; title: string }[]>`
      insert into notifications (user_id, title, created_at, read_at, archived_at, expires_at) values
        (${userId}, 'expired',              now(),                      null,  null,  now() - interval '1 minute'),
        (${userId}, 'expires later',        now(),                      null,  null,  now() + interval '1 day'),
        (${userId}, 'old read archived',    now() - interval '100 days', now(), now(), null),
        (${userId}, 'old read only',        now() - interval '100 days', now(), null,  null),
        (${userId}, 'old archived unread',  now() - interval '100 days', null,  now(), null),
        (${userId}, 'recent read archived', now() - interval '10 days',  now(), now(), null)
      returning id, title`;
    return rows;
  }
  const titles = async (userId: string) =>
    (await testSql()`select title from notifications where user_id = ${userId} order by id`).map((r) => r.title);
  const KEPT = ["expires later", "old read only", "old archived unread", "recent read archived"];

  it("deletes expired and old read-and-archived notifications in small batches, keeping the rest", async () => {
    const user = await createTestUser("cleanup");
    await seedLifecycle(user.id);
    // A batch size of 1 makes the job loop, as it does in production on larger tables.
    const result = await runCleanup(testSql(), { retentionDays: 90, batchSize: 1, waitMs: 10_000 });
    expect(result.ran).toBe(true);
    expect(await titles(user.id)).toEqual(KEPT);
  });

  it("runs on demand as `npm run cleanup` with RETENTION_DAYS, against DATABASE_URL", async () => {
    const user = await createTestUser("cleanupcli");
    await seedLifecycle(user.id);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, "scripts", "cleanup.mjs")], {
      cwd: ROOT,
      env: { ...process.env, RETENTION_DAYS: "5" },
    });
    expect(stdout).toMatch(/read-and-archived notifications older than 5 days deleted/);
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!).retentionDays).toBe(5);
    expect(await titles(user.id)).toEqual(["expires later", "old read only", "old archived unread"]);
  });

  it("runs one instance at a time: a second run skips while the advisory lock is held", async () => {
    const user = await createTestUser("cleanuplock");
    await seedLifecycle(user.id);
    const holder = await testSql().reserve();
    try {
      await holder`select pg_advisory_lock(${CLEANUP_LOCK_KEY})`;
      expect(await runCleanup(testSql(), { waitMs: 0 })).toEqual({ ran: false });
      expect(await titles(user.id)).toContain("expired");
    } finally {
      await holder`select pg_advisory_unlock(${CLEANUP_LOCK_KEY})`;
      holder.release();
    }
    expect((await runCleanup(testSql(), { waitMs: 10_000 })).ran).toBe(true);
    expect(await titles(user.id)).toEqual(KEPT);
  });

  it("runs every task even when one fails, and reports the one that failed", async () => {
    const user = await createTestUser("cleanupfault");
    await seedLifecycle(user.id);
    const token = await createToken(await Client.signedIn(user));
    await testSql()`insert into idempotency_keys (token_id, key, request_hash, created_at) values (${token.id}, 'old', 'h', now() - interval '25 hours')`;
    // A real failure inside the expired task: the database refuses to delete this user's expired row.
    const fault = `cleanup_fault_${user.id.replace(/-/g, "")}`;
    await testSql().unsafe(`
      create function ${fault}() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$;
      create trigger ${fault} before delete on notifications for each row
        when (old.user_id = '${user.id}' and old.title = 'expired') execute function ${fault}()`);
    try {
      const result = await runCleanup(testSql(), { retentionDays: 90, waitMs: 10_000 });
      expect(result).toMatchObject({ ran: true, failed: ["expired"] });
    } finally {
      await testSql().unsafe(`drop trigger ${fault} on notifications; drop function ${fault}()`);
    }
    // The tasks after the failed one still ran.
    expect(await titles(user.id)).toEqual(["expired", ...KEPT]);
    expect(await testSql()`select key from idempotency_keys where token_id = ${token.id}`).toEqual([]);
  });

  it("removes Idempotency-Keys past 24 h and stale rate-limit windows", async () => {
    const user = await createTestUser("cleanupkeys");
    const token = await createToken(await Client.signedIn(user));
    await testSql()`
      insert into idempotency_keys (token_id, key, request_hash, created_at) values
        (${token.id}, 'old', 'h', now() - interval '25 hours'), (${token.id}, 'fresh', 'h', now())`;
    const bucket = `test-cleanup:${user.id}`;
    await testSql()`
      insert into rate_limits (bucket, window_start, count) values
        (${bucket}, now() - interval '2 hours', 5), (${bucket}, date_trunc('minute', now()), 1)`;
    await runCleanup(testSql(), { waitMs: 10_000 });
    expect((await testSql()`select key from idempotency_keys where token_id = ${token.id}`).map((r) => r.key)).toEqual(["fresh"]);
    expect((await testSql()`select count from rate_limits where bucket = ${bucket}`).map((r) => r.count)).toEqual([1]);
  });
});

describe("plain SQL INSERT path", () => {
  it("delivers a row inserted with the README's columns live, with every field", async () => {
    const [user, actor] = await Promise.all([createTestUser("sqlpath"), createTestUser("sqlactor")]);
    const stream = await SseReader.open(await Client.signedIn(user));
    try {
      // The statement the README documents for other programs sharing the database.
      const [row] = await testSql()`
        insert into notifications (user_id, category, priority, title, body, action_url, action_label,
                                   actor_id, subject_type, subject_id, metadata, expires_at)
        values (${user.id}, 'report', 'high', 'Your export is ready', 'March 2026, 1,204 rows', '/reports/42', 'Download',
                ${actor.id}, 'export', '42', '{"rows": 1204}', now() + interval '7 days')
        returning id`;
      const event = await stream.waitFor((e) => e.event === "notification.created" && e.data.id === String(row.id));
      expect(event.data).toMatchObject({
        title: "Your export is ready",
        category: "report",
        priority: "high",
        actionUrl: "/reports/42",
        actionLabel: "Download",
        actor: { id: actor.id, name: actor.name },
        subject: { type: "export", id: "42" },
        metadata: { rows: 1204 },
        delivery: { inApp: true, toast: true },
      });
      await stream.waitFor((e) => e.event === "notifications.count" && e.data.unreadCount === 1);
    } finally {
      stream.close();
    }
  });
});
