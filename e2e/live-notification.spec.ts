import { expect, Person, test } from "./support";

test("a message from bob lights alice's bell and shows a toast, without reload", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  const bob = await Person.create(browser, "Bob");
  await alice.page.goto("/demo");
  await alice.live();
  await alice.expectUnread(0);

  await bob.openRoomWith(alice);
  await bob.send("Coffee at 3? <b>not bold</b>");

  const toast = alice.toast(`${bob.user.name} sent you a message`);
  await expect(toast).toBeVisible();
  await expect(toast).toContainText("Coffee at 3? <b>not bold</b>");
  await expect(toast.getByRole("button", { name: "Reply" })).toBeVisible();
  await alice.expectUnread(1);
  await expect(alice.page.getByTestId("unread-badge")).toHaveText("1");

  // The dropdown lists it; clicking marks it read and opens the room.
  await alice.openBell();
  const item = alice.item(`${bob.user.name} sent you a message`);
  await expect(item).toContainText("Coffee at 3?");
  await expect(item).toContainText("just now");
  await alice.itemButton(`${bob.user.name} sent you a message`).click();
  await expect(alice.page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await expect(alice.page.getByRole("list", { name: "Messages" })).toContainText("Coffee at 3?");
  await alice.expectUnread(0);
});

test("the demo page sends a notification to yourself and shows it arrive live, with its latency", async ({ browser }) => {
  const carol = await Person.create(browser, "Carol");
  await carol.page.goto("/demo");
  await carol.live();
  await carol.page.getByLabel("Title").fill("Deploy finished");
  await carol.page.getByLabel("Priority").selectOption("high");
  // A member sends only to herself: no recipient choice.
  await expect(carol.page.getByText(`To: you (${carol.user.email})`)).toBeVisible();
  await expect(carol.page.getByRole("radio", { name: "Another user" })).toHaveCount(0);
  await carol.page.getByRole("button", { name: "Send notification" }).click();
  const log = carol.page.getByRole("list", { name: "Activity log" });
  await expect(log).toContainText("notification.created");
  await expect(log).toContainText("Deploy finished");
  await expect(log.getByText(/^\d+ ms$/).first()).toBeVisible();
  await expect(carol.page.getByTestId("stat-notifications")).toHaveText("1");
  await carol.expectUnread(1);
  await expect(carol.toast("Deploy finished")).toBeVisible();
});

test("the demo page sends every field to another user by email (as an admin), and bursts to yourself", async ({ browser }) => {
  const alice = await Person.admin(browser, "Alice");
  const bob = await Person.create(browser, "Bob");
  await bob.page.goto("/notifications");
  await bob.live();

  await alice.page.goto("/demo");
  await alice.live();
  await alice.page.getByRole("radio", { name: "Another user" }).check();
  await alice.page.getByRole("combobox", { name: "Recipient email" }).fill(bob.user.email);
  await alice.page.getByLabel("Title").fill("Contract ready to sign");
  await alice.page.getByLabel("Body").fill("Two signatures missing.");
  await alice.page.getByLabel("Category").selectOption("task");
  await alice.page.getByLabel("Priority").selectOption("urgent");
  await alice.page.getByLabel("Expires").selectOption("120");
  await alice.page.getByLabel("Action URL").fill("/notifications?status=unread");
  await alice.page.getByLabel("Action label").fill("Review");
  await alice.page.getByRole("button", { name: "Send notification" }).click();

  const item = bob.item("Contract ready to sign", "Inbox");
  await expect(item).toContainText("Two signatures missing.");
  await expect(item).toContainText(alice.user.name);
  await expect(item).toContainText("Urgent");
  await expect(item).toContainText(/Expires in 1m \d\ds/);
  await expect(item.getByRole("button", { name: "Review" })).toBeVisible();
  await expect(bob.toast("Contract ready to sign")).toBeVisible();
  await alice.expectUnread(0); // it went to bob, not to her

  await alice.page.getByRole("radio", { name: "Myself" }).check();
  await alice.page.getByRole("button", { name: "Burst of 10", exact: true }).click();
  await expect(alice.page.getByTestId("stat-notifications")).toHaveText("10");
  await expect(alice.page.getByRole("list", { name: "Activity log" }).getByText(/Contract ready to sign \(10\/10\)/)).toBeVisible();
  await alice.expectUnread(10);
});
