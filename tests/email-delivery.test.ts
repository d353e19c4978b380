import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELIVERY_PORTS, DeliveryWorld } from "./support/delivery-world";
import { until } from "./support/second-instance";
import { TestSmtp } from "./support/smtp";
import { Client } from "./support/users";

// Email from the table, against a real SMTP server: the delay, read-in-time, digests, the one-click
// unsubscribe from a real message's headers, SMTP errors, a worker killed mid-send, two workers.
let world: DeliveryWorld;
let smtp: TestSmtp;
let base: string;

beforeAll(async () => {
  smtp = await TestSmtp.start(DELIVERY_PORTS.smtp);
  world = await DeliveryWorld.create("herald_email_delivery", { SMTP_URL: smtp.url, EMAIL_FROM: "Herald <herald@herald.test>" });
  base = (await world.start(DELIVERY_PORTS.a)).url;
});

afterAll(async () => {
  await world?.close();
  await smtp?.close();
});

/** A header as sent (mailparser folds List-* headers into one parsed `list` value). */
const header = (mail: { headerLines: readonly { key: string; line: string }[] }, name: string) =>
  mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, " ");
// Send time minus creation time, in seconds (created_at has microseconds, the plan milliseconds).
const dueAfterCreated = async (id: number) => {
  const [row] = await world.sql`
    select extract(epoch from d.due_at - n.created_at)::float8 as seconds
      from notification_deliveries d join notifications n on n.id = d.notification_id where n.id = ${id}`;
  return row.seconds as number;
};
const settled = (id: number) => async () => (await world.deliveries(id)).every((d) => d.status !== "pending");
const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * Nothing is left that could send these users another email: no job of theirs waiting, retrying or
 * running. Waited for before asserting that an email came once, instead of watching for a while.
 */
const nothingLeft = async (...userIds: string[]) =>
  until(async () => {
    const [{ n }] = await world.sql<{ n: number }[]>`
      select count(*)::int as n from pgboss.job
       where name = 'herald-email' and data->>'userId' = any(${userIds}::text[]) and state in ('created', 'retry', 'active')`;
    return n === 0;
  }, "no email job left", 30_000);

describe("email", () => {
  it("emails a notification still unread after the delay, once, with unsubscribe headers", async () => {
    const user = await world.user({ email: true });
    const id = await world.insert(user.id, { title: "Your report is ready", body: "Q3 <script>alert(1)</script> numbers" });
    await until(async () => smtp.to(user.email).length === 1, "the email", 20_000);
    await until(settled(id), "delivery recorded");

    const [mail] = smtp.to(user.email);
    expect(await dueAfterCreated(id)).toBeCloseTo(2, 2);
    expect(mail.subject).toBe("Your report is ready");
    expect(mail.from?.text).toContain("herald@herald.test");
    expect(mail.text).toContain("Q3 <script>alert(1)</script> numbers");
    expect(mail.html).not.toContain("<script>alert(1)</script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(header(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(header(mail, "list-unsubscribe")).toMatch(/^<https:\/\/herald\.test\/api\/email\/unsubscribe\/[\w.-]+>$/);
    expect(mail.html).toContain("https://herald.test/settings/notifications");

    const client = await Client.signedIn(user, base);
    const res = await client.json(`/api/notifications/${id}`);
    expect(res.body.deliveries).toEqual([expect.objectContaining({ channel: "email", status: "sent", attempts: 1 })]);
    await nothingLeft(user.id);
    expect(smtp.to(user.email)).toHaveLength(1);
  });

  it("sends nothing for a notification read within the delay", async () => {
    const user = await world.user({ email: true });
    const id = await world.insert(user.id, { title: "Seen it" });
    await world.sql`update notifications set read_at = now() where id = ${id}`;
    await until(settled(id), "delivery decided", 20_000);
    expect((await world.deliveries(id))[0]).toMatchObject({ status: "skipped", reason: "read before the email was due" });
    expect(smtp.to(user.email)).toHaveLength(0);
  });

  it("sends urgent ones at once and several due together as one email", async () => {
    const user = await world.user({ email: true });
    const pager = await world.insert(user.id, { title: "Pager", priority: "urgent" });
    await until(async () => smtp.to(user.email).length === 1, "the urgent email");
    expect(await dueAfterCreated(pager)).toBeCloseTo(0, 2);

    const ids = await world.sql<{ id: string }[]>`
      insert into notifications (user_id, title) select ${user.id}, 'Batch ' || g from generate_series(1, 3) g returning id`;
    await until(async () => smtp.to(user.email).length === 2, "the batch email", 20_000);
    await until(async () => (await Promise.all(ids.map((r) => settled(Number(r.id))()))).every(Boolean), "settled");
    const batch = smtp.to(user.email)[1];
    expect(batch.subject).toBe("3 new notifications");
    for (const n of [1, 2, 3]) expect(batch.text).toContain(`Batch ${n}`);
  });

  it("still sends an email whose row was locked by another claim when it fell due", async () => {
    const user = await world.user({ email: true });
    const id = await world.insert(user.id, { title: "Locked when due" });
    await until(async () => (await world.sql`select 1 from notification_deliveries where notification_id = ${id} and due_at is not null`).length === 1, "planned");
    // Another claim holds the row through its due time: the run at the due time skips it (SKIP
    // LOCKED) and must leave a run behind for when it is free, not count on one that has passed.
    await world.sql.begin(async (tx) => {
      await tx`select 1 from notification_deliveries where notification_id = ${id} for update`;
      await until(async () => (await world.sql`select count(*)::int as n from pgboss.job where name = 'herald-email' and data->>'userId' = ${user.id} and state = 'completed' and start_after > created_on`)[0].n > 0, "the run at the due time", 20_000);
    });
    await until(async () => smtp.to(user.email).length === 1 && (await settled(id)()), "the email", 20_000);
    await nothingLeft(user.id);
    expect(smtp.to(user.email)).toHaveLength(1);
  });

  it("sends one digest of what is still unread, newest first", async () => {
    const user = await world.user({ email: true, digest: "hourly" });
    const first = await world.insert(user.id, { title: "Digest first" });
    await quiet(20);
    const read = await world.insert(user.id, { title: "Digest read" });
    await quiet(20);
    const last = await world.insert(user.id, { title: "Digest last" });
    // Planned for the next full hour; the test moves the clock to it rather than waiting.
    await until(async () => (await world.sql`select 1 from notification_deliveries where user_id = ${user.id} and due_at is not null`).length === 3, "planned");
    const [hour] = await world.sql`select bool_and(due_at > now() and extract(minute from due_at) = 0) as ok from notification_deliveries where user_id = ${user.id}`;
    expect(hour.ok).toBe(true);
    await world.sql`update notifications set read_at = now() where id = ${read}`;
    await world.sql`update notification_deliveries set due_at = now() where user_id = ${user.id}`;
    await world.sql`select herald_enqueue('herald-email', ${world.sql.json({ userId: user.id })})`;
    // The worker records the outcome after the SMTP server accepted the message: wait for both.
    await until(async () => smtp.to(user.email).length === 1 && (await settled(first)()) && (await settled(last)()), "the digest", 20_000);
    const [digest] = smtp.to(user.email);
    expect(digest.subject).toBe("2 new notifications");
    expect(digest.text!.indexOf("Digest last")).toBeLessThan(digest.text!.indexOf("Digest first"));
    expect(digest.text).not.toContain("Digest read");
    expect((await world.deliveries(read))[0].status).toBe("skipped");
    expect((await world.deliveries(first))[0].status).toBe("sent");
    expect((await world.deliveries(last))[0].status).toBe("sent");
  });

  it("turns email off for the category with the one-click POST from the email's own header", async () => {
    const user = await world.user({ email: true });
    await world.insert(user.id, { title: "Unsubscribe me", category: "general" });
    await until(async () => smtp.to(user.email).length === 1, "the email", 20_000);
    const url = header(smtp.to(user.email)[0], "list-unsubscribe")!.slice(1, -1).replace("https://herald.test", base);
    // As a mail provider sends it: no cookie, no Origin.
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(res.status).toBeLessThan(300);
    const [prefs] = await world.sql`select categories from user_preferences where user_id = ${user.id}`;
    expect(prefs.categories.general.email).toBe(false);
    expect(prefs.categories.message.email).toBe(true);
    const after = await world.insert(user.id, { title: "Not emailed", category: "general" });
    expect(await world.deliveries(after)).toEqual([]);
  });

  it("retries an SMTP 421 with backoff and still sends exactly one email", async () => {
    const user = await world.user({ email: true });
    smtp.failNext(2, 421);
    const id = await world.insert(user.id, { title: "Third time lucky", priority: "urgent" });
    await until(async () => smtp.to(user.email).length === 1 && (await settled(id)()), "delivered", 20_000);
    expect((await world.attempts(id)).map((a) => a.outcome)).toEqual(["retry", "retry", "sent"]);
    expect((await world.attempts(id))[0].detail).toMatch(/421/);
    await nothingLeft(user.id);
    expect(smtp.to(user.email)).toHaveLength(1);
  });

  it("sends exactly one email when the worker is killed mid-send", async () => {
    // The only worker is instance A; it dies while the SMTP server holds its message unanswered.
    const user = await world.user({ email: true });
    smtp.stallNext();
    const id = await world.insert(user.id, { title: "Survives a crash", priority: "urgent" });
    await smtp.whenStalled();
    await world.instances[0].kill();
    await world.instances.shift();
    expect(smtp.to(user.email)).toHaveLength(0);
    base = (await world.start(DELIVERY_PORTS.a)).url;
    await until(async () => smtp.to(user.email).length === 1 && (await settled(id)()), "delivered after the crash", 30_000);
    expect((await world.deliveries(id))[0]).toMatchObject({ status: "sent", attempts: 2 });
    await nothingLeft(user.id);
    expect(smtp.to(user.email)).toHaveLength(1);
  });

  it("sends each email once with two instances working the same queue", async () => {
    await world.start(DELIVERY_PORTS.b);
    const users = await Promise.all(Array.from({ length: 12 }, () => world.user({ email: true })));
    const before = smtp.messages.length;
    await world.sql`
      insert into notifications (user_id, title, priority)
      select u, 'Race ' || i, 'urgent' from unnest(${users.map((u) => u.id)}::uuid[]) with ordinality as t(u, i)`;
    await until(async () => smtp.messages.length - before >= 12, "every user's email", 30_000);
    await nothingLeft(...users.map((u) => u.id));
    for (const u of users) expect(smtp.to(u.email)).toHaveLength(1);
    expect(smtp.messages.length - before).toBe(12);
  });
});
