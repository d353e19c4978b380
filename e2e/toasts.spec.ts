import { expect, Person, test } from "./support";

test("an urgent toast stays until dismissed while others go away on their own", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.live();
  await alice.sendTest({ title: "Routine heads-up", priority: "low" });
  await alice.sendTest({ title: "Pager: checkout is down", priority: "urgent", actionUrl: "/notifications", actionLabel: "Investigate" });
  const urgent = alice.toast("Pager: checkout is down");
  await expect(urgent).toBeVisible();
  await expect(urgent).toHaveAttribute("data-type", "error");
  await expect(urgent).toHaveAttribute("data-testid", "toast-urgent");
  await expect(alice.toast("Routine heads-up")).toHaveCount(1);
  await expect(alice.toast("Routine heads-up")).toHaveCount(0, { timeout: 9_000 });
  // A sentinel sent after the urgent one comes and goes on its own: the urgent one outlives it.
  await alice.sendTest({ title: "Sentinel heads-up", priority: "low" });
  await expect(alice.toast("Sentinel heads-up")).toHaveCount(1);
  await expect(alice.toast("Sentinel heads-up")).toHaveCount(0, { timeout: 9_000 });
  await expect(urgent).toBeVisible();
  await urgent.getByRole("button", { name: "Close toast" }).click();
  await expect(urgent).toHaveCount(0);
  await alice.expectUnread(3); // with the sentinel
});

test("a burst collapses into one 'N new notifications' toast", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.live();
  await alice.sendTest({ title: "Build step", count: 10 });
  await expect(alice.toast("10 new notifications")).toBeVisible();
  await expect(alice.toasts()).toHaveCount(1);
  await alice.expectUnread(10);
  await alice.clickToast("10 new notifications", "View all");
  await expect(alice.page).toHaveURL(/\/notifications$/);
  await expect(alice.items("Inbox")).toHaveCount(10);
  // A handful is not a burst: each gets its own toast. A burst keeps counting until it has been
  // quiet for BURST_WINDOW_MS (1 s, components/notifications/toasts.tsx), so let it end first.
  await alice.page.waitForTimeout(1_500);
  await alice.sendTest({ title: "Small batch", count: 2 });
  await expect(alice.toast(/Small batch \(\d\/2\)/)).toHaveCount(2);
});

test("no toast for a muted category or during quiet hours, but the inbox still fills", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.page.goto("/settings/notifications");
  await alice.live();
  const mute = alice.page.getByRole("button", { name: "Mute Reminders" }).first();
  await mute.click();
  await expect(mute).toHaveAttribute("aria-pressed", "true");
  await expect(alice.page.getByTestId("save-status")).toHaveText("All changes saved");

  await alice.sendTest({ title: "Muted reminder", category: "reminder", priority: "urgent" });
  await alice.sendTest({ title: "Loud general", category: "general" });
  await expect(alice.toast("Loud general")).toBeVisible();
  await expect(alice.toast("Muted reminder")).toHaveCount(0);
  await alice.expectUnread(2);

  // Quiet hours around now, in the browser's time zone: the server stops deciding to toast.
  const [from, to] = await alice.page.evaluate(() => {
    const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
    return [hhmm(new Date(Date.now() - 3_600_000)), hhmm(new Date(Date.now() + 3_600_000))];
  });
  await alice.page.getByRole("switch", { name: "Quiet hours" }).click();
  await alice.page.getByLabel("From", { exact: true }).fill(from);
  await alice.page.getByLabel("To", { exact: true }).fill(to);
  await expect(alice.page.getByText("Quiet hours are on right now.")).toBeVisible();
  await expect(alice.page.getByTestId("save-status")).toHaveText("All changes saved");

  await alice.sendTest({ title: "Quiet urgent", category: "system", priority: "urgent" });
  await alice.expectUnread(3);
  // Quiet hours off again, and a sentinel: its toast follows the quiet one's, had there been one.
  const quiet = alice.page.getByRole("switch", { name: "Quiet hours" });
  await quiet.click();
  await expect(quiet).toHaveAttribute("aria-checked", "false");
  await expect(alice.page.getByTestId("save-status")).toHaveText("All changes saved");
  await alice.sendTest({ title: "Loud after quiet", category: "system", priority: "urgent" });
  await expect(alice.toast("Loud after quiet")).toBeVisible();
  await expect(alice.toast("Quiet urgent")).toHaveCount(0);
  await alice.page.goto("/notifications");
  await expect(alice.item("Quiet urgent", "Inbox")).toBeVisible();
  await expect(alice.item("Muted reminder", "Inbox")).toBeVisible();
});

test("chat: no toast for the room on screen, unread counts per conversation, opening a room reads them", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  const bob = await Person.create(browser, "Bob");
  await bob.openRoomWith(alice);
  await alice.openRoomWith(bob);
  await alice.live();

  await bob.send("Are you there?");
  await expect(alice.page.getByRole("list", { name: "Messages" })).toContainText("Are you there?");
  await alice.expectUnread(0); // read at once: the room is on screen
  await expect(alice.toast(`${bob.user.name} sent you a message`)).toHaveCount(0);

  await alice.page.getByRole("textbox", { name: "Message" }).fill("Yes!");
  await alice.page.keyboard.press("Enter");
  await expect(bob.page.getByRole("list", { name: "Messages" })).toContainText("Yes!");

  await alice.page.goto("/notifications");
  await alice.live();
  await bob.send("One more thing");
  await bob.send("And another");
  // One conversation is one group: one toast that counts, one unread item.
  await expect(alice.toast(`2 new messages from ${bob.user.name}`)).toBeVisible();
  await expect(alice.toasts()).toHaveCount(1);
  await alice.expectUnread(1);

  await alice.page.goto("/chat");
  const conversation = alice.page.getByRole("link", { name: `${bob.user.name}, 2 unread` });
  await expect(conversation).toContainText("And another");
  await conversation.click();
  await expect(alice.page.getByRole("list", { name: "Messages" })).toContainText("And another");
  await alice.expectUnread(0);
  await expect(alice.page.getByRole("link", { name: bob.user.name, exact: true })).toBeVisible();
});
