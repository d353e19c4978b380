import postgres from "postgres";
import { expect, Person, test } from "./support";

// Groups, seen vs read and snooze in the browser, for rows another program writes with plain SQL.

const sql = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
test.afterAll(() => sql.end({ timeout: 1 }));

const userId = async (p: Person) => (await sql<{ id: string }[]>`select id from users where email = ${p.user.email}`)[0].id;

async function insertMessage(to: string, from: string, body: string, group: string) {
  await sql`insert into notifications (user_id, title, body, category, group_key, actor_id)
            select ${to}, u.name || ' sent you a message', ${body}, 'message', ${group}, u.id from users u where u.id = ${from}`;
}

test("a group is one item that updates in place, its toast collapses, and the expander lists its members by keyboard", async ({ browser }) => {
  const [alice, bob] = await Promise.all([Person.create(browser, "Alice"), Person.create(browser, "Bob")]);
  const [aliceId, bobId] = await Promise.all([userId(alice), userId(bob)]);
  await alice.live();
  await insertMessage(aliceId, bobId, "first", "room:e2e");
  await expect(alice.toasts().first()).toContainText(`${bob.user.name} sent you a message`);
  await insertMessage(aliceId, bobId, "second", "room:e2e");
  await insertMessage(aliceId, bobId, "third", "room:e2e");
  // One toast, counting: "3 new messages from Bob".
  await expect(alice.toast(`3 new messages from ${bob.user.name}`)).toBeVisible();
  await expect(alice.toasts()).toHaveCount(1);
  await alice.expectUnread(1);
  await expect(alice.page.getByTestId("unread-badge")).toHaveText("1");

  await alice.openBell();
  const item = alice.item(`${bob.user.name} sent you 3 messages`);
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("third");
  // Opening the bell saw it: the badge clears, the item stays unread.
  await expect(alice.page.getByTestId("unread-badge")).toBeHidden();
  await alice.expectUnread(1);
  await expect(item).toHaveAttribute("data-unread", "true");

  // A new member while the bell is open: the same element, now 4.
  const element = await item.elementHandle();
  await insertMessage(aliceId, bobId, "fourth", "room:e2e");
  const updated = alice.item(`${bob.user.name} sent you 4 messages`);
  await expect(updated).toContainText("fourth");
  await expect(alice.items()).toHaveCount(1);
  expect(await element!.evaluate((el) => el.isConnected)).toBe(true);

  // The expander, by keyboard.
  const expander = updated.getByRole("button", { name: "Show all 4" });
  await expander.focus();
  await alice.page.keyboard.press("Enter");
  await expect(updated.getByRole("button", { name: "Hide all 4" })).toHaveAttribute("aria-expanded", "true");
  await expect(updated.getByTestId("group-members").getByRole("listitem")).toHaveCount(4);
  await expect(updated.getByTestId("group-members")).toContainText("first");

  // Reading the item reads all four.
  await updated.getByRole("button", { name: `Mark as read: ${bob.user.name} sent you 4 messages` }).click();
  await alice.expectUnread(0);
  // The badge clears at once (optimistically); the rows are read once the request commits.
  await expect
    .poll(async () => (await sql<{ n: number }[]>`select count(*)::int as n from notifications where user_id = ${aliceId} and read_at is null`)[0].n)
    .toBe(0);
});

test("snooze by keyboard: the item leaves at once, waits under Snoozed, and comes back as new with a toast", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.live();
  await alice.sendTest({ title: "Call the bank", priority: "low" });
  await alice.expectUnread(1);
  await alice.page.goto("/notifications");
  await alice.live();
  const snooze = alice.item("Call the bank", "Inbox").getByRole("button", { name: "Snooze: Call the bank" });
  await snooze.focus();
  await alice.page.keyboard.press("Enter");
  const menu = alice.page.getByRole("menu", { name: "Snooze: Call the bank" });
  await expect(menu.getByRole("menuitem", { name: /In 1 hour/ })).toBeFocused();
  await alice.page.keyboard.press("ArrowDown");
  await alice.page.keyboard.press("ArrowUp");
  await expect(menu.getByRole("menuitem", { name: /In 1 hour/ })).toBeFocused();
  await alice.page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(snooze).toBeFocused();
  await alice.page.keyboard.press("Enter");
  await alice.page.keyboard.press("Enter");
  await expect(alice.page.getByTestId("toast-snoozed")).toBeVisible();
  await expect(alice.item("Call the bank", "Inbox")).toHaveCount(0);
  await alice.expectUnread(0);

  await alice.page.getByRole("group", { name: "Status" }).getByRole("button", { name: "Snoozed" }).click();
  const snoozed = alice.item("Call the bank", "Inbox");
  await expect(snoozed.getByTestId("snoozed-until")).toBeVisible();
  // Its time comes (moved near by the database, as another program could): back as new, live.
  await sql`update notifications set snoozed_until = now() + interval '1 second'
             where title = 'Call the bank' and user_id = ${await userId(alice)}`;
  await expect(alice.toast("Call the bank")).toBeVisible({ timeout: 15_000 });
  await alice.expectUnread(1);
  await alice.page.goto("/notifications");
  await expect(alice.item("Call the bank", "Inbox")).toHaveAttribute("data-unread", "true");
});
