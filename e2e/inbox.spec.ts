import { expect, Person, test } from "./support";

test("inbox: filters, search, pagination, bulk actions and the archive", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.sendTest({ title: "Task", category: "task", count: 25 });
  await alice.sendTest({ title: "Quarterly report", category: "report", priority: "high", count: 3 });
  await alice.page.goto("/notifications");
  await alice.live();
  await expect(alice.page.getByRole("heading", { name: "Inbox" })).toBeVisible();
  await expect(alice.page.getByText("28 unread notifications")).toBeVisible();

  // Pagination: 20 at first, the rest when the end of the list scrolls into view.
  await expect(alice.items("Inbox")).toHaveCount(20);
  await alice.page.getByRole("button", { name: "Load older notifications" }).scrollIntoViewIfNeeded();
  await expect(alice.items("Inbox")).toHaveCount(28);
  await expect(alice.page.getByText("That’s everything.")).toBeVisible();

  // Filters live in the URL.
  await alice.page.getByRole("combobox", { name: "Category" }).selectOption("report");
  await expect(alice.page).toHaveURL(/category=report/);
  await expect(alice.items("Inbox")).toHaveCount(3);
  await alice.page.getByRole("combobox", { name: "Category" }).selectOption("");
  await alice.page.getByRole("combobox", { name: "Priority" }).selectOption("high");
  await expect(alice.items("Inbox")).toHaveCount(3);
  await alice.page.getByRole("combobox", { name: "Priority" }).selectOption("");
  await alice.page.getByRole("searchbox", { name: "Search notifications" }).fill("Task (7/25)");
  await expect(alice.items("Inbox")).toHaveCount(1);
  await alice.page.reload();
  await expect(alice.items("Inbox")).toHaveCount(1);
  await alice.page.getByRole("searchbox", { name: "Search notifications" }).fill("no such thing");
  await expect(alice.page.getByText("Nothing matches “no such thing”")).toBeVisible();
  await alice.page.getByRole("searchbox", { name: "Search notifications" }).fill("");
  await expect(alice.items("Inbox")).toHaveCount(20);

  // Bulk: select two, mark read; they show under Read and leave Unread.
  await alice.page.getByRole("checkbox", { name: "Select: Quarterly report (3/3)" }).check();
  await alice.page.getByRole("checkbox", { name: "Select: Quarterly report (2/3)" }).check();
  await expect(alice.page.getByText("2 selected")).toBeVisible();
  const bulk = alice.page.getByRole("toolbar", { name: "Bulk actions" });
  await bulk.getByRole("button", { name: "Mark read" }).click();
  await alice.expectUnread(26);
  await alice.page.getByRole("button", { name: "Read", exact: true }).click();
  await expect(alice.items("Inbox")).toHaveCount(2);

  // Select all (loaded) and archive, with undo; then restore from the archive.
  await alice.page.getByRole("checkbox", { name: "Select all" }).check();
  await expect(alice.page.getByText("2 selected")).toBeVisible();
  await bulk.getByRole("button", { name: "Archive" }).click();
  await expect(alice.page.getByText("Nothing matches these filters").or(alice.page.getByTestId("empty-state"))).toBeVisible();
  await alice.clickToast("2 notifications archived", "Undo");
  await expect(alice.items("Inbox")).toHaveCount(2);
  await alice.items("Inbox").first().getByRole("button", { name: /^Archive:/ }).click();
  await alice.page.getByRole("button", { name: "Archived", exact: true }).click();
  await expect(alice.page).toHaveURL(/status=archived/);
  await expect(alice.items("Inbox")).toHaveCount(1);
  await alice.items("Inbox").first().getByRole("button", { name: /^Restore:/ }).click();
  await expect(alice.page.getByText("Nothing archived")).toBeVisible();
});

test("inbox: expiring notifications count down and disappear on time", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.page.goto("/notifications");
  await alice.live();
  // Long enough that both are counted before it goes, even on a loaded machine.
  await alice.sendTest({ title: "Flash sale", expiresInSeconds: 10 });
  await alice.sendTest({ title: "Stays around" });
  const item = alice.item("Flash sale", "Inbox");
  await alice.expectUnread(2);
  await expect(item).toContainText(/Expires in ([1-9]|10)s/);
  await expect(item).toHaveCount(0, { timeout: 15_000 });
  await alice.expectUnread(1);
  await expect(alice.item("Stays around", "Inbox")).toBeVisible();
});

test("search: as you type, ranked, archived included, matches highlighted and shown as text", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.sendTest({ title: "Weekly digest", body: "The deploy of the billing service finished." });
  await alice.sendTest({ title: "Deploy failed <img src=x onerror=alert(1)>", body: "See the logs." });
  await alice.sendTest({ title: "Old deploy notes" });
  await alice.sendTest({ title: "Lunch order" });
  await alice.page.goto("/notifications");
  await alice.live();
  await alice.items("Inbox").filter({ hasText: "Old deploy notes" }).getByRole("button", { name: /^Archive:/ }).click();
  await expect(alice.items("Inbox")).toHaveCount(3);

  const box = alice.page.getByRole("searchbox", { name: "Search notifications" });
  await box.pressSequentially("depl");
  await expect(alice.page).toHaveURL(/q=depl/);
  // Title matches rank above the body match; the archived one is found too.
  await expect(alice.items("Inbox")).toHaveCount(3);
  await expect(alice.items("Inbox").nth(2)).toContainText("The deploy of the billing service");
  const failed = alice.items("Inbox").filter({ hasText: "Deploy failed" });
  await expect(failed.locator("mark")).toHaveText("Deploy");
  await expect(failed.getByTestId("notification-title")).toHaveText("Deploy failed <img src=x onerror=alert(1)>");
  await expect(alice.page.locator("img[src=x]")).toHaveCount(0);
  await expect(alice.items("Inbox").filter({ hasText: "Old deploy notes" })).toContainText("Archived");
  await expect(alice.items("Inbox").nth(2).locator("mark")).toHaveText("deploy");

  // Web search syntax: exclude a word.
  await box.fill("deploy -billing");
  await expect(alice.items("Inbox")).toHaveCount(2);
  // A notification that arrives while searching shows up where the server ranks it.
  await alice.sendTest({ title: "Deploy finished" });
  await expect(alice.items("Inbox")).toHaveCount(3);
  await expect(alice.items("Inbox").filter({ hasText: "Deploy finished" }).locator("mark")).toHaveText("Deploy");
});

test("opening a notification's action records the click-through: from the inbox, the bell and a toast", async ({ browser }) => {
  const me = await Person.create(browser, "Clicker");
  const clickedAt = async (id: string) => (await me.api(`/api/notifications/${id}`)).body.clickedAt as string | null;
  const report = await me.sendTest({ title: "Report to open", category: "report", actionUrl: "/settings/notifications", actionLabel: "View report" });
  const task = await me.sendTest({ title: "Task to open", category: "task", actionUrl: "/settings/account", actionLabel: "View task" });
  await me.page.goto("/notifications");
  await me.live();
  await me.expectUnread(2);

  await me.item("Report to open", "Inbox").getByRole("button", { name: "View report", exact: true }).click();
  await expect(me.page).toHaveURL(/\/settings\/notifications$/);
  await expect.poll(() => clickedAt(report.id)).not.toBeNull();
  expect((await me.api(`/api/notifications/${report.id}`)).body.readAt).not.toBeNull();
  expect(await clickedAt(task.id)).toBeNull();
  await me.expectUnread(1);

  await me.openBell();
  await me.item("Task to open").getByRole("button", { name: "View task", exact: true }).click();
  await expect(me.page).toHaveURL(/\/settings\/account$/);
  await expect.poll(() => clickedAt(task.id)).not.toBeNull();
  await me.expectUnread(0);

  await me.live();
  const invoice = await me.sendTest({ title: "Invoice to open", category: "general", actionUrl: "/chat", actionLabel: "View invoice" });
  await me.clickToast("Invoice to open", "View invoice");
  await expect(me.page).toHaveURL(/\/chat$/);
  await expect.poll(() => clickedAt(invoice.id)).not.toBeNull();
  await me.expectUnread(0);
});
