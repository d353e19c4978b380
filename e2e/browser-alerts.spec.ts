import { type Page } from "@playwright/test";
import { expect, Person, test } from "./support";

// The browser's Notification, AudioContext and page visibility, replaced by recorders: headless
// Chromium can neither show system notifications nor play sound, and all its tabs count as visible.
function installFakes() {
  const w = window as unknown as Record<string, unknown>;
  const shown: { title: string; body: string; tag: string; onclick?: (e: Event) => void }[] = [];
  w.__shown = shown;
  w.__hidden = false;
  w.__beeps = 0;
  let permission: NotificationPermission = "default";
  class FakeNotification {
    static get permission() {
      return permission;
    }
    static async requestPermission() {
      permission = "granted";
      return permission;
    }
    onclick: ((e: Event) => void) | null = null;
    constructor(
      readonly title: string,
      readonly options: { body?: string; tag?: string } = {},
    ) {
      shown.push(this as unknown as (typeof shown)[number]);
    }
    close() {}
    get body() {
      return this.options.body ?? "";
    }
  }
  w.Notification = FakeNotification;
  Object.defineProperty(Document.prototype, "visibilityState", { get: () => (w.__hidden ? "hidden" : "visible"), configurable: true });
  Object.defineProperty(Document.prototype, "hidden", { get: () => Boolean(w.__hidden), configurable: true });
  class FakeAudioContext {
    state = "running";
    currentTime = 0;
    destination = {};
    async resume() {}
    createGain() {
      return { connect() {}, gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} } };
    }
    createOscillator() {
      w.__beeps = (w.__beeps as number) + 1;
      return { type: "", frequency: { setValueAtTime() {} }, connect() {}, start() {}, stop() {} };
    }
  }
  w.AudioContext = FakeAudioContext;
}

const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    (window as unknown as { __hidden: boolean }).__hidden = h;
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
const shownCount = (page: Page) => page.evaluate(() => (window as unknown as { __shown: unknown[] }).__shown.length);
const shownTitles = (page: Page) => page.evaluate(() => (window as unknown as { __shown: { title: string }[] }).__shown.map((n) => n.title));
const beeps = (page: Page) => page.evaluate(() => (window as unknown as { __beeps: number }).__beeps);

test("browser notifications: asked from a click in settings, only for high/urgent, only while hidden, one tab only", async ({ browser }) => {
  const context = await browser.newContext();
  await context.addInitScript(installFakes);
  const alice = await Person.create(browser, "Alice", { context });
  await alice.page.goto("/settings/notifications");
  await expect(alice.page.getByTestId("browser-permission")).toHaveText("Your browser has not been asked yet.");
  const toggle = alice.page.getByRole("switch", { name: "Browser notifications" });
  await expect(toggle).toBeDisabled();
  await alice.page.getByRole("button", { name: "Allow browser notifications" }).click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(alice.page.getByTestId("save-status")).toHaveText("All changes saved");

  const second = await alice.newTab("/notifications");
  await alice.live();
  await second.live();

  // Both tabs visible: toasts, no system notification.
  await alice.sendTest({ title: "Seen in the page", priority: "urgent" });
  await expect(alice.toast("Seen in the page")).toBeVisible();
  expect((await shownCount(alice.page)) + (await shownCount(second.page))).toBe(0);

  // Both hidden: one system notification for the urgent one, none for the normal one, whatever the number of tabs.
  await setHidden(alice.page, true);
  await setHidden(second.page, true);
  await alice.sendTest({ title: "Just so you know", priority: "normal" });
  await alice.sendTest({ title: "Disk almost full", priority: "urgent", actionUrl: "/settings/notifications", actionLabel: "Fix" });
  await expect(alice.toast("Disk almost full")).toHaveCount(1);
  await expect(second.toast("Disk almost full")).toHaveCount(1);
  await expect.poll(async () => (await shownCount(alice.page)) + (await shownCount(second.page))).toBe(1);
  // A sentinel that is shown too: once it is, a second one for the first would have been.
  await alice.sendTest({ title: "Sentinel while hidden", priority: "high" });
  await expect.poll(async () => (await shownTitles(alice.page)).concat(await shownTitles(second.page)).sort()).toEqual(["Disk almost full", "Sentinel while hidden"]);

  // Clicking it focuses that tab, opens the action and marks it read.
  const owner = (await shownTitles(alice.page)).includes("Disk almost full") ? alice : second;
  const title = await owner.page.evaluate(() => {
    const n = (window as unknown as { __shown: { title: string; onclick: (e: Event) => void }[] }).__shown.find((s) => s.title === "Disk almost full")!;
    n.onclick(new Event("click"));
    return n.title;
  });
  expect(title).toBe("Disk almost full");
  await expect(owner.page).toHaveURL(/\/settings\/notifications$/);
  await owner.expectUnread(3); // "Seen in the page", "Just so you know" and the sentinel

  // One tab visible again: no system notification.
  await setHidden(second.page, false);
  await alice.sendTest({ title: "Visible elsewhere", priority: "high" });
  // Its arrival, seen in the inbox: sent within a second of the four before, its toast may rightly be
  // folded into an "N new notifications" one (toasts.tsx, the burst rule).
  await expect(second.item("Visible elsewhere", "Inbox")).toBeVisible();
  // Hidden again, a sentinel is shown; the one before it was not.
  await setHidden(second.page, true);
  await setHidden(owner.page, true);
  await alice.sendTest({ title: "Sentinel hidden again", priority: "high" });
  await expect.poll(async () => (await shownTitles(alice.page)).concat(await shownTitles(second.page))).toContain("Sentinel hidden again");
  expect((await shownTitles(alice.page)).concat(await shownTitles(second.page)).sort()).toEqual(["Disk almost full", "Sentinel hidden again", "Sentinel while hidden"]);
  await context.close();
});

test("urgent notifications chime once (in one tab), and not when sound is turned off", async ({ browser }) => {
  const context = await browser.newContext();
  await context.addInitScript(installFakes);
  const alice = await Person.create(browser, "Alice", { context });
  const second = await alice.newTab("/notifications");
  // Audio may only start after a user gesture in the page.
  await alice.page.mouse.click(5, 300);
  await second.page.mouse.click(5, 300);
  await alice.live();
  await second.live();

  await alice.sendTest({ title: "Not urgent", priority: "high" });
  await alice.sendTest({ title: "Very urgent", priority: "urgent" });
  await expect(alice.toast("Very urgent")).toBeVisible();
  await expect.poll(async () => (await beeps(alice.page)) + (await beeps(second.page))).toBe(2); // one chime = two tones
  // A second urgent one as a sentinel: one more chime, so the first rang once.
  await alice.sendTest({ title: "Urgent sentinel", priority: "urgent" });
  await expect(alice.toast("Urgent sentinel")).toBeVisible();
  await expect(second.toast("Urgent sentinel")).toBeVisible();
  await expect.poll(async () => (await beeps(alice.page)) + (await beeps(second.page))).toBe(4);

  await alice.page.goto("/settings/notifications");
  await alice.page.mouse.click(5, 300);
  const sound = alice.page.getByRole("switch", { name: "Sound for urgent notifications" });
  await expect(sound).toHaveAttribute("aria-checked", "true");
  await sound.click();
  await expect(sound).toHaveAttribute("aria-checked", "false");
  await expect(alice.page.getByTestId("save-status")).toHaveText("All changes saved");
  const before = (await beeps(alice.page)) + (await beeps(second.page));
  await alice.sendTest({ title: "Silent urgent", priority: "urgent" });
  await expect(alice.toast("Silent urgent")).toBeVisible();
  // Sound on again and a sentinel: it chimes once, so the silent one did not.
  await sound.click();
  await expect(sound).toHaveAttribute("aria-checked", "true");
  await expect(alice.page.getByTestId("save-status")).toHaveText("All changes saved");
  await alice.sendTest({ title: "Loud urgent", priority: "urgent" });
  await expect(alice.toast("Loud urgent")).toBeVisible();
  await expect.poll(async () => (await beeps(alice.page)) + (await beeps(second.page))).toBe(before + 2);
  await context.close();
});
