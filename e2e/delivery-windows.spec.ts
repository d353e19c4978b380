import { type Route } from "@playwright/test";
import { expect, Person, test } from "./support";

// Each test holds one request at the moment that matters (a list answer, the stream's first
// connect, a new tab's scripts), writes a notification in that window, then lets the request go.

/** A gate the test opens: `held` resolves when the first matching request arrives. */
function gate() {
  let arrived!: () => void;
  let open!: () => void;
  const held = new Promise<void>((r) => (arrived = r));
  const opened = new Promise<void>((r) => (open = r));
  return { held, open, opened, arrived };
}

test("a notification that arrives while the bell's list is loading is in the dropdown", async ({ browser }) => {
  const context = await browser.newContext();
  const list = gate();
  let first = true;
  await context.route(/\/api\/notifications\?/, async (route: Route) => {
    if (!first) return route.continue();
    first = false;
    // Read from the server now, before the notification exists: the answer is stale on arrival.
    const response = await route.fetch();
    list.arrived();
    await list.opened;
    await route.fulfill({ response });
  });
  const alice = await Person.create(browser, "Alice", { context });
  await list.held;
  await alice.live();
  await alice.sendTest({ title: "Arrived mid-fetch" });
  await expect(alice.toast("Arrived mid-fetch")).toBeVisible();
  await alice.expectUnread(1);

  const answered = alice.page.waitForResponse(/\/api\/notifications\?/);
  list.open();
  await answered;
  await alice.openBell();
  await expect(alice.item("Arrived mid-fetch")).toBeVisible();
  await context.close();
});

test("a notification written after the page rendered but before the stream connected is delivered, with its toast", async ({ browser }) => {
  const context = await browser.newContext();
  const stream = gate();
  let first = true;
  await context.route(/\/api\/notifications\/stream/, async (route: Route) => {
    if (!first) return route.continue();
    first = false;
    stream.arrived();
    await stream.opened;
    await route.continue();
  });
  const alice = await Person.create(browser, "Alice", { context });
  await stream.held; // the page is rendered and hydrated; its stream is not connected yet
  await alice.expectUnread(0);
  await alice.sendTest({ title: "Written before the first connect" });

  stream.open();
  await alice.live();
  await alice.expectUnread(1);
  await expect(alice.toast("Written before the first connect")).toBeVisible();
  await context.close();
});

test("a tab that renders while another holds the stream still counts what arrived before it listened", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  await alice.live();
  const page = await alice.page.context().newPage();
  const scripts = gate();
  // The second tab's HTML (with its rendered count) arrives; its scripts wait, so it cannot listen.
  await page.route(/\/_next\/static\/chunks\//, async (route: Route) => {
    scripts.arrived();
    await scripts.opened;
    await route.continue();
  });
  await page.goto("/notifications", { waitUntil: "commit" });
  await scripts.held;
  await alice.sendTest({ title: "Relayed before the new tab listened" });
  await alice.expectUnread(1); // the leader has it, and relayed it to tabs that were listening

  scripts.open();
  const second = alice.on(page);
  await second.expectUnread(1);
  await expect(second.item("Relayed before the new tab listened", "Inbox")).toBeVisible();
});
