import postgres from "postgres";
import { HOSTILE_ROWS } from "../tests/fixtures/hostile-urls";
import { expect, Person, test } from "./support";

const XSS_BODY = "<img src=x onerror=alert(1)>";
const XSS_TITLE = "<script>alert('title')</script>";

test("notification text renders as text everywhere: no dialog, no injected elements", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  const dialogs: string[] = [];
  alice.page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await alice.live();
  await alice.sendTest({ title: XSS_TITLE, body: XSS_BODY, priority: "urgent" });

  await expect(alice.toast(XSS_TITLE)).toContainText(XSS_BODY);
  await alice.openBell();
  await expect(alice.item(XSS_TITLE)).toContainText(XSS_BODY);
  await alice.closeBell();
  await alice.page.goto("/notifications");
  await expect(alice.item(XSS_TITLE, "Inbox")).toContainText(XSS_BODY);
  await alice.page.goto("/demo");
  await expect(alice.page.getByRole("list", { name: "Activity log" })).toBeVisible();
  await alice.sendTest({ title: XSS_TITLE, body: XSS_BODY });
  await expect(alice.page.getByRole("list", { name: "Activity log" })).toContainText(XSS_TITLE);

  await expect(alice.page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

// Rows another program wrote: each of these refused URLs once passed the browser's guard, or
// would have taken a click to another site.
const SQL_ROWS = HOSTILE_ROWS.filter((c) =>
  ["/\t/evil.com", "/\n/evil.com", "/\r/evil.com", "/\\evil.com", "/.//evil.com", "/%2F%2Fevil.com", "https://herald.example@evil.com/", "javascript:alert(1)", "JaVaScRiPt:alert(1)"].includes(c.url),
);

test("action URLs: only same-origin paths or http(s) are followed, even for rows other programs wrote", async ({ browser }) => {
  expect(SQL_ROWS).toHaveLength(9);
  const alice = await Person.create(browser, "Alice");
  // The API refuses a javascript: URL…
  const refused = await alice.api("/api/notifications/test", { body: { title: "x", actionUrl: "javascript:alert(1)" } });
  expect(refused.status).toBe(400);
  // …and rows inserted straight into the table (bypassing the API) are shown without their action.
  const sql = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    for (const [i, c] of SQL_ROWS.entries()) {
      await sql`
        insert into notifications (user_id, title, body, action_url, action_label)
        select id, ${`Sneaky ${i}`}, 'written by another program', ${c.url}, 'Click me' from users where email = ${alice.user.email}`;
    }
  } finally {
    await sql.end();
  }
  const dialogs: string[] = [];
  alice.page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const origin = new URL(alice.page.url()).origin;
  const elsewhere: string[] = [];
  alice.page.on("request", (r) => {
    if (new URL(r.url()).origin !== origin) elsewhere.push(r.url());
  });
  await alice.page.goto("/notifications");
  for (const [i, c] of SQL_ROWS.entries()) {
    const item = alice.item(`Sneaky ${i}`, "Inbox");
    await expect(item, JSON.stringify(c.url)).toBeVisible();
    await expect(item.getByRole("button", { name: "Click me" }), JSON.stringify(c.url)).toHaveCount(0);
    await alice.itemButton(`Sneaky ${i}`, "Inbox").click();
    await expect(alice.page, JSON.stringify(c.url)).toHaveURL(`${origin}/notifications`);
  }
  await alice.expectUnread(0);
  expect(elsewhere).toEqual([]);
  expect(dialogs).toEqual([]);
});

test("user isolation: a third user sees nothing of the other two", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  const bob = await Person.create(browser, "Bob");
  const carol = await Person.create(browser, "Carol");
  await carol.page.goto("/notifications");
  await carol.live();
  await alice.live();

  await bob.openRoomWith(alice);
  await bob.send("For Alice only");
  const own = await alice.sendTest({ title: "Alice's secret", priority: "urgent" });
  await alice.expectUnread(2);

  // A sentinel of her own, written after theirs: once it is on her screen, anything of theirs would be too.
  const sentinel = await carol.sendTest({ title: "Carol's own" });
  await expect(carol.toast("Carol's own")).toBeVisible();
  await expect(carol.toasts()).toHaveCount(1);
  await carol.expectUnread(1);
  expect((await carol.api(`/api/notifications/${sentinel.id}`, { method: "DELETE" })).status).toBeLessThan(300);
  await carol.expectUnread(0);
  await carol.page.reload();
  await expect(carol.page.getByText("No notifications yet")).toBeVisible();
  await carol.openBell();
  await expect(carol.panel().getByText("No notifications yet")).toBeVisible();

  // Not through the API either: someone else's notification does not exist for her.
  for (const [path, method, body] of [
    [`/api/notifications/${own.id}`, "GET", undefined],
    [`/api/notifications/${own.id}`, "PATCH", { read: true }],
    [`/api/notifications/${own.id}/read`, "POST", undefined],
    [`/api/notifications/${own.id}`, "DELETE", undefined],
  ] as const) {
    expect((await carol.api(path, { method, body })).status, `${method} ${path}`).toBe(404);
  }
  const batch = await carol.api("/api/notifications/batch", { body: { ids: [own.id], action: "archive" } });
  expect(batch.body.updated).toBe(0);
  await alice.expectUnread(2);
});
