import { expect, test } from "@playwright/test";
import { Person } from "./support";

test("a message from bob lights alice's bell and shows a toast, without reload", async ({ browser }) => {
  const alice = await Person.signUp(browser, "Alice");
  const bob = await Person.signUp(browser, "Bob");
  await alice.page.goto("/demo");
  await alice.live();
  await expect(alice.bell()).toHaveAccessibleName("Notifications");

  await bob.openRoomWith(alice);
  await bob.send("Coffee at 3? <b>not bold</b>");

  const toast = alice.page.locator("[data-sonner-toast]").filter({ hasText: `${bob.user.name} sent you a message` });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText("Coffee at 3? <b>not bold</b>");
  await expect(alice.bell()).toHaveAccessibleName("Notifications, 1 unread");
  await expect(alice.page.getByTestId("unread-badge")).toHaveText("1");

  // The bell lists it; clicking marks it read and opens the room.
  await alice.bell().click();
  const item = alice.page.getByRole("menuitem", { name: new RegExp(`${bob.user.name} sent you a message`) });
  await expect(item).toBeVisible();
  await item.click();
  await expect(alice.page).toHaveURL(/\/chat\/[0-9a-f-]{36}$/);
  await expect(alice.page.getByRole("list", { name: "Messages" })).toContainText("Coffee at 3?");
  await expect(alice.bell()).toHaveAccessibleName("Notifications");
});

test("the demo page sends a notification to yourself and shows it arrive live", async ({ browser }) => {
  const carol = await Person.signUp(browser, "Carol");
  await carol.page.goto("/demo");
  await carol.live();
  await carol.page.getByLabel("Title").fill("Deploy finished");
  await carol.page.getByLabel("Priority").selectOption("high");
  await carol.page.getByRole("button", { name: "Send notification" }).click();
  const log = carol.page.getByRole("list", { name: "Activity log" });
  await expect(log).toContainText("notification.created");
  await expect(log).toContainText("Deploy finished");
  await expect(carol.bell()).toHaveAccessibleName("Notifications, 1 unread");
});
