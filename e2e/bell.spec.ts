import { type Route } from "@playwright/test";
import { expect, Person, test } from "./support";

test("keyboard: Enter opens, arrows move through items, Escape closes and returns focus; arrivals are announced", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.live();
  for (const title of ["First", "Second", "Third"]) await alice.sendTest({ title, priority: "low" });
  await alice.expectUnread(3);

  await alice.bell().focus();
  await alice.page.keyboard.press("Enter");
  await expect(alice.panel()).toBeVisible();
  await expect(alice.bell()).toHaveAttribute("aria-expanded", "true");
  const button = (title: string) => alice.itemButton(title);
  await expect(button("Third")).toBeFocused(); // newest first
  await alice.page.keyboard.press("ArrowDown");
  await expect(button("Second")).toBeFocused();
  await alice.page.keyboard.press("ArrowDown");
  await expect(button("First")).toBeFocused();
  await alice.page.keyboard.press("ArrowDown");
  await expect(button("First")).toBeFocused(); // stays on the last
  await alice.page.keyboard.press("Home");
  await expect(button("Third")).toBeFocused();
  await alice.page.keyboard.press("End");
  await expect(button("First")).toBeFocused();
  await alice.page.keyboard.press("ArrowUp");
  await expect(button("Second")).toBeFocused();
  // Tab reaches the item's own actions.
  await alice.page.keyboard.press("Tab");
  await expect(alice.page.getByRole("button", { name: "Mark as read: Second" })).toBeFocused();
  await alice.page.keyboard.press("Enter");
  await alice.expectUnread(2);

  await alice.page.keyboard.press("Escape");
  await expect(alice.panel()).toBeHidden();
  await expect(alice.bell()).toBeFocused();

  // Space opens too; ArrowDown on the closed bell opens it as well.
  await alice.page.keyboard.press(" ");
  await expect(alice.panel()).toBeVisible();
  await alice.page.keyboard.press("Escape");
  await alice.page.keyboard.press("ArrowDown");
  await expect(button("Third")).toBeFocused();
  await alice.page.keyboard.press("Escape");

  await alice.sendTest({ title: "Fourth" });
  await expect(alice.page.getByTestId("live-announcer")).toHaveText("New notification: Fourth");
  await alice.sendTest({ title: "Many", count: 5 });
  await expect(alice.page.getByTestId("live-announcer")).toHaveText("5 new notifications");
});

test("opened by keyboard while the list loads, focus waits on the tabs and moves to the first notification when it renders", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.sendTest({ title: "Slow to load" });
  const all = alice.panel().getByRole("tab", { name: /All/ });
  /** Reloads with the list held back, opens the bell by keyboard; resolves to the list's release. */
  const openWhileLoading = async () => {
    let release = () => {};
    const released = new Promise<void>((r) => (release = r));
    await alice.page.unroute("**/api/notifications?*");
    await alice.page.route("**/api/notifications?*", async (route) => {
      await released;
      return route.continue();
    });
    await alice.page.reload();
    await alice.expectUnread(1);
    await alice.bell().focus();
    await alice.page.keyboard.press("Enter");
    await expect(alice.panel().getByRole("status", { name: "Loading notifications" })).toBeVisible();
    await expect(all).toBeFocused();
    return release;
  };

  (await openWhileLoading())();
  await expect(alice.itemButton("Slow to load")).toBeFocused();

  // Moved on meanwhile (to the Unread tab), the keyboard is left where the user put it.
  await alice.page.keyboard.press("Escape");
  const release = await openWhileLoading();
  await alice.page.keyboard.press("ArrowRight");
  const unread = alice.panel().getByRole("tab", { name: /Unread/ });
  await expect(unread).toBeFocused();
  release();
  await expect(alice.itemButton("Slow to load")).toBeVisible();
  await expect(unread).toBeFocused();
});

test("marking read in one tab updates the badge and list in a second tab", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  const second = await alice.newTab("/notifications");
  await alice.live();
  await second.live();
  await alice.sendTest({ title: "Read me elsewhere" });
  await alice.sendTest({ title: "Leave me unread" });
  await alice.expectUnread(2);
  await second.expectUnread(2);
  await expect(second.item("Read me elsewhere", "Inbox")).toHaveAttribute("data-unread", "true");

  await alice.openBell();
  await alice.page.getByRole("button", { name: "Mark as read: Read me elsewhere" }).click();
  await alice.expectUnread(1);
  await second.expectUnread(1);
  await expect(second.item("Read me elsewhere", "Inbox")).not.toHaveAttribute("data-unread");

  // And back: unread in the second tab shows up in the first one's open dropdown.
  await second.page.getByRole("button", { name: "Mark as unread: Read me elsewhere" }).click();
  await second.expectUnread(2);
  await alice.expectUnread(2);
  await expect(alice.item("Read me elsewhere")).toHaveAttribute("data-unread", "true");
});

test("mark all as read and clear all, each with a 5-second undo", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.live();
  await alice.sendTest({ title: "Batch", count: 3 });
  await alice.expectUnread(3);

  const panel = await alice.openBell();
  await panel.getByRole("button", { name: "Mark all as read" }).click();
  await alice.expectUnread(0);
  await expect(alice.items().and(alice.page.locator("[data-unread]"))).toHaveCount(0);
  await expect(alice.toast("3 notifications marked as read")).toBeVisible();
  await alice.clickToast("3 notifications marked as read", "Undo");
  await alice.expectUnread(3);
  await expect(alice.items().and(alice.page.locator("[data-unread]"))).toHaveCount(3);

  // Something arriving after the click is never swept along.
  await panel.getByRole("button", { name: "Clear all" }).click();
  await expect(panel.getByText("No notifications yet")).toBeVisible();
  await alice.expectUnread(0);
  await alice.sendTest({ title: "After clearing" });
  await expect(alice.items()).toHaveCount(1);
  await alice.clickToast("3 notifications cleared", "Undo");
  await expect(alice.items()).toHaveCount(4);
  await alice.expectUnread(4);

  // Undo expires with its toast: after five seconds the clear is final. Sonner pauses every toast's
  // timer while the pointer is over the stack, and only a mouseleave resumes it: pass over the toast
  // and leave, as a person's pointer would, so the timer runs whatever the stack saw before.
  await panel.getByRole("button", { name: "Clear all" }).click();
  await expect(alice.items()).toHaveCount(0);
  await alice.toast("4 notifications cleared").hover();
  await alice.page.mouse.move(0, 0);
  await expect(alice.toast("4 notifications cleared")).toBeHidden({ timeout: 8_000 });
  await alice.page.goto("/notifications?status=archived");
  await expect(alice.items("Inbox")).toHaveCount(4);
});

test("the dropdown pages older notifications in as you scroll, filters by tab and category, and caps the badge at 99+", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.live();
  await alice.sendTest({ title: "Old task", category: "task", count: 100 });
  await alice.sendTest({ title: "Fresh report", category: "report", priority: "high" });
  await alice.expectUnread(101);
  await expect(alice.page.getByTestId("unread-badge")).toHaveText("99+");
  await alice.page.reload(); // what arrived live is kept at the top; start from a clean first page

  const panel = await alice.openBell();
  await expect(alice.items()).toHaveCount(20);
  await panel.getByRole("button", { name: "Load older notifications" }).scrollIntoViewIfNeeded();
  await expect(alice.items()).toHaveCount(40);

  await panel.getByRole("combobox", { name: "Category" }).selectOption("report");
  await expect(alice.items()).toHaveCount(1);
  await expect(alice.items().first()).toContainText("High");
  await alice.items().first().getByRole("button", { name: /^Mark as read/ }).click();
  await panel.getByRole("tab", { name: /Unread/ }).click();
  await expect(panel.getByText("You’re all caught up")).toBeVisible();
  await panel.getByRole("combobox", { name: "Category" }).selectOption("");
  await expect(alice.items()).toHaveCount(20);
  await expect(panel.getByRole("tab", { name: /Unread/ })).toHaveAttribute("aria-selected", "true");
});

test("the dropdown shows a skeleton while loading, and an error with a working retry", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.sendTest({ title: "Eventually visible" });
  let mode: "held" | "fail" | "ok" = "held";
  // The list answers only once the test has seen the skeleton: no race with a timer.
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  await alice.page.route("**/api/notifications?*", async (route) => {
    if (mode === "fail") return route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"unavailable","message":"down"}}' });
    if (mode === "held") await released;
    return route.continue();
  });
  await alice.page.reload();
  await expect(alice.page).toHaveTitle(/^\(1\) /);
  const panel = await alice.openBell();
  await expect(panel.getByRole("status", { name: "Loading notifications" })).toBeVisible();
  mode = "ok";
  release();
  await expect(alice.item("Eventually visible")).toBeVisible();
  // Shown in the open bell, so seen: the title (like the badge) drops the count; it stays unread.
  await expect(alice.page).not.toHaveTitle(/^\(\d+\) /);
  await alice.expectUnread(1);

  mode = "fail";
  await panel.getByRole("tab", { name: /Unread/ }).click();
  await expect(panel.getByRole("alert")).toContainText("Couldn’t load notifications.");
  mode = "ok";
  await panel.getByRole("button", { name: "Retry" }).click();
  await expect(alice.item("Eventually visible")).toBeVisible();
});

test("the connection indicator is honest: offline, reconnecting with a countdown, and a manual reconnect", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.page.goto("/notifications");
  const status = alice.page.getByRole("main").getByTestId("connection-status");
  await expect(status).toContainText("Live");

  await alice.page.context().setOffline(true);
  await expect(status).toContainText("Offline");
  await expect(status.getByRole("button", { name: "Reconnect now" })).toBeVisible();

  // Back online but the stream fails: reconnecting, with the time to the next attempt.
  // Then the stream works again, but only for the manual reconnect: an automatic attempt that comes
  // first is held unanswered (else it could win the race with the click and take the button away).
  let mode: "fail" | "hold" | "pass" = "fail";
  const held: Route[] = [];
  await alice.page.route("**/api/notifications/stream*", (route) =>
    mode === "fail" ? route.abort() : mode === "hold" ? void held.push(route) : route.continue(),
  );
  await alice.page.context().setOffline(false);
  await status.getByRole("button", { name: "Reconnect now" }).click();
  await expect(status).toContainText(/Reconnecting in \d+s/);

  mode = "hold";
  const automatic = held.length;
  await status.getByRole("button", { name: "Reconnect now" }).click();
  mode = "pass";
  // What arrived since the click is the manual attempt (the ones before it were closed by it).
  for (const route of held.slice(automatic)) await route.continue().catch(() => {});
  await expect(status).toContainText("Live");
  // Whatever arrived meanwhile is there.
  await alice.sendTest({ title: "After the outage" });
  await expect(alice.item("After the outage", "Inbox")).toBeVisible();
});
