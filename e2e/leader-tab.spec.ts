import { type BrowserContext, type Page, type Request } from "@playwright/test";
import { expect, Person, test } from "./support";

// Two pages of one browser context are two tabs of one browser: same cookies, same Web Locks,
// same BroadcastChannel.

const isStream = (r: Request) => new URL(r.url()).pathname === "/api/notifications/stream";

/** Every stream request of the context from now on, with the tab that made it. */
function recordStreams(context: BrowserContext) {
  const seen: { page: Page; url: string }[] = [];
  context.on("request", (r) => {
    if (isStream(r)) seen.push({ page: r.frame().page(), url: r.url() });
  });
  return seen;
}

async function openTab(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto("/demo");
  await expect(page.getByTestId("connection-status").first()).toContainText("Live");
  return page;
}

async function notifySelf(context: BrowserContext, title: string) {
  // A cookie-authenticated POST must name this site, as a browser's own fetch would.
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const res = await context.request.post("/api/notifications/test", { data: { title }, headers: { Origin: origin } });
  expect(res.status()).toBe(201);
}

const bell = (page: Page) => page.getByRole("button", { name: /^Notifications/ });
// Every event a tab receives, whoever holds the connection (the cache may not have loaded yet).
const activity = (page: Page) => page.getByRole("list", { name: "Activity log" });

test("tabs share one stream; when the leader closes, another tab takes over and misses nothing", async ({ browser }) => {
  const alice = await Person.create(browser, "Alice");
  const context = alice.page.context();
  await alice.page.close();
  const streams = recordStreams(context);
  const first = await openTab(context);
  const second = await openTab(context);

  await notifySelf(context, "To every tab");
  for (const tab of [first, second]) await expect(activity(tab)).toContainText("To every tab");
  // Both tabs are live and got it, over one connection.
  expect(streams).toHaveLength(1);
  const leader = streams[0].page;
  const follower = leader === first ? second : first;

  await leader.close();
  // Written while the follower takes over: the new leader resumes from the last id it saw.
  await notifySelf(context, "During the handover");
  await expect(activity(follower)).toContainText("During the handover");
  expect(streams).toHaveLength(2);
  expect(streams[1].page).toBe(follower);
  expect(new URL(streams[1].url).searchParams.get("lastEventId")).toMatch(/^\d+\.[A-Za-z0-9_-]{16}$/);

  await notifySelf(context, "After the handover");
  await expect(activity(follower)).toContainText("After the handover");
  // Each event came once: three notifications in the log, and the server's count on the bell.
  await expect(activity(follower).getByText("notification.created")).toHaveCount(3);
  await expect(bell(follower)).toHaveAccessibleName("Notifications, 3 unread");
});

test("without Web Locks every tab keeps its own stream", async ({ browser }) => {
  const bob = await Person.create(browser, "Bob");
  const context = bob.page.context();
  await bob.page.close();
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true });
  });
  const streams = recordStreams(context);
  const tabs = [await openTab(context), await openTab(context)];
  await notifySelf(context, "Hello tabs");
  for (const tab of tabs) await expect(activity(tab)).toContainText("Hello tabs");
  expect(streams.map((s) => s.page)).toEqual(tabs);
});

test("a stream refused with 401 sends every tab to sign in instead of retrying", async ({ browser }) => {
  const carol = await Person.create(browser, "Carol");
  const context = carol.page.context();
  await carol.page.close();
  const tabs = [await openTab(context), await openTab(context)];
  await context.clearCookies();
  // Cut the network for a moment: the leader's stream breaks, and its reconnect finds no session.
  await context.setOffline(true);
  await expect(tabs[0].getByTestId("connection-status").first()).not.toContainText("Live");
  await context.setOffline(false);
  for (const tab of tabs) await expect(tab).toHaveURL(/\/signin\?callbackUrl=%2Fdemo$/);
});
