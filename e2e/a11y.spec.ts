import { randomUUID } from "node:crypto";
import axe, { type AxeResults } from "axe-core";
import { type Browser, type Page } from "@playwright/test";
import { e2eSql, expect, insertUser, Person, test, type E2EUser } from "./support";

// Every page audited by axe (WCAG 2.0/2.1 A and AA) in light and dark, at desktop and phone width:
// no serious or critical violation. Then the group expander and the snooze menu, by keyboard only.
// One test per page: its person signs in once, each state of the page is reached once, and axe
// audits it in every colour scheme and width (both are media features: switching them restyles the
// page in place, as a user rotating a phone or changing the system theme sees it).

// Each test has its own users: the pages run on every worker.
test.describe.configure({ mode: "parallel" });

const SCHEMES = ["light", "dark"] as const;
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
type Viewport = keyof typeof VIEWPORTS;

type Seeded = { alice: E2EUser; bob: E2EUser; roomId: string };
/**
 * Alice's data, written before she signs in (so no toast is mid-animation when axe looks): a room
 * with Bob and a few messages, their notifications as one group, notifications of every priority
 * (one with an action, one expiring, one read, one snoozed) and a service token.
 */
async function seed(): Promise<Seeded> {
  const [alice, bob] = await Promise.all([insertUser("Alice"), insertUser("Bob")]);
  const [a, b] = [alice.id, bob.id].sort();
  const sql = e2eSql();
  const [{ id: roomId }] = await sql<{ id: string }[]>`insert into rooms (user_a_id, user_b_id, last_message_at) values (${a}, ${b}, now()) returning id`;
  const lines = [
    [bob.id, "Are we still on for Friday?"],
    [alice.id, "Yes, 10 o'clock at the office."],
    [bob.id, "Great, I'll bring the slides."],
    [bob.id, "And the budget numbers."],
    [bob.id, "See you then!"],
  ];
  for (const [sender, body] of lines) {
    const [m] = await sql<{ id: string }[]>`insert into messages (room_id, sender_id, body) values (${roomId}, ${sender}, ${body}) returning id::text`;
    if (sender === bob.id) {
      await sql`insert into notifications (user_id, category, title, body, action_url, action_label, actor_id, subject_type, subject_id, group_key, source)
                values (${alice.id}, 'message', ${`${bob.name} sent you a message`}, ${body}, ${`/chat/${roomId}`}, 'Reply', ${bob.id}, 'message', ${m.id}, ${`room:${roomId}`}, 'app')`;
    }
  }
  await sql`insert into notifications (user_id, category, priority, title, body, action_url, action_label, expires_at, read_at) values
    (${alice.id}, 'system', 'urgent', 'Database failover', 'The primary is down; the replica took over.', '/demo', 'Open status', null, null),
    (${alice.id}, 'appointment', 'high', 'Dentist tomorrow', 'At 09:30, bring your card.', null, null, null, null),
    (${alice.id}, 'report', 'normal', 'Weekly report is ready', 'Signups up 12%.', null, null, null, now()),
    (${alice.id}, 'reminder', 'low', 'Water the plants', '', null, null, now() + interval '1 day', null),
    (${alice.id}, 'task', 'normal', 'Review the pull request', 'Herald #42', null, null, null, null)`;
  await sql`update notifications set snoozed_until = now() + interval '1 day' where user_id = ${alice.id} and title = 'Review the pull request'`;
  await sql`insert into api_tokens (user_id, name, token_hash, prefix) values (${alice.id}, 'CI pipeline', ${randomUUID()}, 'hld_a11y')`;
  return { alice, bob, roomId };
}

/** Resolves when no finite animation or transition is still running (an open panel fading in). */
async function settled(page: Page) {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity),
  );
}

/**
 * axe itself, put into the page once per document (AxeBuilder evaluates its 1.3 MB every time it
 * analyzes, most of an audit's cost), then run as AxeBuilder runs it. The pages have no frames.
 */
async function axeRun(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axe.source);
  return page.evaluate(
    (tags) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
  );
}

async function auditOnce(page: Page, label: string) {
  await settled(page);
  // Only violations are reported (passes and incompletes are not collected): axe runs 64 times.
  const { violations } = await axeRun(page);
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = serious
    .map((v) => {
      const nodes = v.nodes.map((n) => `  - ${n.target.join(" ")}  ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`);
      return `${v.id} (${v.impact}): ${v.help}\n${nodes.join("\n")}`;
    })
    .join("\n");
  expect(serious.length, `serious or critical violations on ${label}:\n${summary}\n`).toBe(0);
}

/** Audits the page as it is in light and dark, at desktop and phone width, and leaves it light and wide. */
async function audit(page: Page, label: string) {
  for (const scheme of SCHEMES) {
    for (const viewport of Object.keys(VIEWPORTS) as Viewport[]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(VIEWPORTS[viewport]);
      expect(await page.evaluate(() => [matchMedia("(prefers-color-scheme: dark)").matches, innerWidth])).toEqual([scheme === "dark", VIEWPORTS[viewport].width]);
      await auditOnce(page, `${label}, ${scheme}, ${viewport}`);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize(VIEWPORTS.desktop);
}

/** The app follows the system's colour scheme (prefers-color-scheme): there is no toggle or class to set. */
async function newContext(browser: Browser) {
  return browser.newContext({ viewport: VIEWPORTS.desktop, colorScheme: "light" });
}

/** Alice, seeded, signed in and live. */
async function signedIn(browser: Browser) {
  const data = await seed();
  const person = await Person.session(browser, data.alice, { context: await newContext(browser) });
  await person.live();
  return { person, page: person.page, data, ...data };
}

type Audited = { page: Page; person?: Person; data?: Seeded; appId?: string };

/** Per page: who looks at it (made once per test), and the states of the page that are audited. */
const PAGES: Record<string, { open: (browser: Browser) => Promise<Audited>; check: (a: Audited) => Promise<void> }> = {
  "sign-in": {
    open: async (browser) => ({ page: await (await newContext(browser)).newPage() }),
    check: async ({ page }) => {
      await page.goto("/signin");
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await audit(page, `sign-in`);
      await page.getByLabel("Email").fill(`nobody-${randomUUID().slice(0, 8)}@e2e.example`);
      await page.getByLabel("Password").fill("wrong-password-1");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator("form").getByRole("alert")).toBeVisible();
      await audit(page, `sign-in with an error`);
    },
  },
  "sign-up": {
    open: async (browser) => ({ page: await (await newContext(browser)).newPage() }),
    check: async ({ page }) => {
      await page.goto("/signup");
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await audit(page, `sign-up`);
    },
  },
  inbox: {
    open: signedIn,
    check: async ({ page, person, data }) => {
      await page.goto("/notifications");
      const group = person!.item(`${data!.bob.name} sent you 4 messages`, "Inbox");
      await expect(group).toBeVisible();
      await expect(person!.items("Inbox")).toHaveCount(5);
      await audit(page, `inbox`);
      await group.getByRole("button", { name: "Show all 4" }).click();
      await expect(group.getByTestId("group-members").getByRole("listitem")).toHaveCount(4);
      const item = person!.item("Dentist tomorrow", "Inbox");
      await item.hover();
      await item.getByRole("button", { name: "Snooze: Dentist tomorrow" }).click();
      await expect(page.getByRole("menu", { name: "Snooze: Dentist tomorrow" })).toBeVisible();
      await audit(page, `inbox with a group expanded and the snooze menu open`);
      await page.getByRole("group", { name: "Status" }).getByRole("button", { name: "Snoozed" }).click();
      await expect(person!.item("Review the pull request", "Inbox").getByTestId("snoozed-until")).toBeVisible();
      await audit(page, `inbox, snoozed`);
    },
  },
  // Closed, the bell is in the header of every page audited here (chat: the page sign-in lands on).
  "bell open": {
    open: signedIn,
    check: async ({ page, person, data }) => {
      await page.goto("/chat");
      await person!.live();
      await person!.openBell();
      await expect(person!.item(`${data!.bob.name} sent you 4 messages`)).toBeVisible();
      await expect(person!.items()).toHaveCount(5);
      await audit(page, `bell open`);
    },
  },
  "settings notifications": {
    open: signedIn,
    check: async ({ page }) => {
      await page.goto("/settings/notifications");
      await expect(page.getByRole("region", { name: "Email and push" })).toBeVisible();
      await expect(page.getByTestId("save-status")).toHaveText("All changes saved");
      await audit(page, `notification settings`);
    },
  },
  "settings tokens": {
    open: signedIn,
    check: async ({ page }) => {
      await page.goto("/settings/tokens");
      await expect(page.getByText("CI pipeline")).toBeVisible();
      await audit(page, `service tokens`);
    },
  },
  "settings account": {
    open: signedIn,
    check: async ({ page }) => {
      await page.goto("/settings/account");
      await expect(page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
      await audit(page, `account`);
    },
  },
  demo: {
    open: signedIn,
    check: async ({ page, person }) => {
      await page.goto("/demo");
      await person!.live();
      await expect(page.getByRole("button", { name: /^Send/ }).first()).toBeVisible();
      await audit(page, `demo`);
    },
  },
  admin: {
    open: async (browser) => ({ page: (await Person.admin(browser, "Ada", { context: await newContext(browser) })).page }),
    check: async ({ page }) => {
      await page.goto("/admin");
      await expect(page.getByRole("heading", { name: "Operations" })).toBeVisible();
      await expect(page.getByTestId("chart-per-minute").locator("canvas")).toBeVisible();
      await audit(page, `admin`);
    },
  },
  "settings apps": {
    open: async (browser) => {
      const { page } = await Person.admin(browser, "Ada", { context: await newContext(browser) });
      const res = await page.request.post("/api/apps", { data: { name: `Audited ${randomUUID().slice(0, 6)}`, allowedOrigins: ["https://shop.example"] }, headers: { Origin: new URL(page.url()).origin } });
      expect(res.status()).toBe(201);
      return { page, appId: (await res.json()).app.id as string };
    },
    check: async ({ page, appId }) => {
      await page.goto("/settings/apps");
      await expect(page.getByRole("list", { name: "Apps" })).toBeVisible();
      await audit(page, `apps`);
      await page.goto(`/settings/apps/${appId}`);
      await expect(page.getByRole("region", { name: "Signing keys" })).toBeVisible();
      await audit(page, `an app`);
    },
  },
  "chat, bell closed": {
    open: signedIn,
    check: async ({ page, person, data }) => {
      await page.goto("/chat");
      await expect(page.getByRole("link", { name: `Message ${data!.bob.name}` })).toBeVisible();
      await expect(person!.bell()).toHaveAttribute("aria-expanded", "false");
      await audit(page, `chat, bell closed`);
    },
  },
  "chat room": {
    open: signedIn,
    check: async ({ page, data }) => {
      await page.goto(`/chat/${data!.roomId}`);
      await expect(page.getByRole("list", { name: "Messages" }).getByRole("listitem").filter({ hasText: "See you then!" })).toBeVisible();
      await audit(page, `chat room`);
    },
  },
};

for (const [name, { open, check }] of Object.entries(PAGES)) {
  test(`axe: ${name}, light and dark, desktop and phone`, async ({ browser }) => {
    // Up to three states, each audited in four combinations.
    test.slow();
    await check(await open(browser));
  });
}

test("keyboard only: Tab reaches a group's expander, Enter shows its members, Space hides them", async ({ browser }) => {
  const { person, page, bob } = await signedIn(browser);
  await page.goto("/notifications");
  const group = person.item(`${bob.name} sent you 4 messages`, "Inbox");
  await expect(group).toBeVisible();
  const expander = group.getByRole("button", { name: "Show all 4" });
  await page.getByRole("searchbox", { name: "Search notifications" }).focus();
  for (let i = 0; i < 40 && !(await expander.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(expander).toBeFocused();
  await expect(expander).toHaveAttribute("aria-expanded", "false");
  expect(await expander.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");
  await page.keyboard.press("Enter");
  const hide = group.getByRole("button", { name: "Hide all 4" });
  await expect(hide).toHaveAttribute("aria-expanded", "true");
  await expect(hide).toBeFocused();
  const members = group.getByTestId("group-members");
  await expect(members.getByRole("listitem")).toHaveCount(4);
  await expect(members).toContainText("Are we still on for Friday?");
  expect(await members.evaluate((el) => el.closest("[id]")!.id)).toBe(await hide.getAttribute("aria-controls"));
  await page.keyboard.press(" ");
  await expect(members).toBeHidden();
  await expect(group.getByRole("button", { name: "Show all 4" })).toBeFocused();
});

test("keyboard only: the snooze menu opens, arrows move, Escape returns to its button, a preset snoozes the item", async ({ browser }) => {
  const { person, page } = await signedIn(browser);
  await page.goto("/notifications");
  const item = person.item("Dentist tomorrow", "Inbox");
  await expect(item).toBeVisible();
  const snooze = item.getByRole("button", { name: "Snooze: Dentist tomorrow" });
  await item.getByRole("button", { name: "Archive: Dentist tomorrow" }).focus();
  await page.keyboard.press("Tab");
  await expect(snooze).toBeFocused();
  await expect(snooze).toBeVisible();
  expect(await snooze.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");

  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu", { name: "Snooze: Dentist tomorrow" });
  const entries = menu.getByRole("menuitem");
  await expect(snooze).toHaveAttribute("aria-expanded", "true");
  await expect(entries.first()).toBeFocused();
  const count = await entries.count();
  expect(count).toBeGreaterThan(1);
  await page.keyboard.press("ArrowDown");
  await expect(entries.nth(1)).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect(entries.last()).toBeFocused();
  await page.keyboard.press("Home");
  await expect(entries.first()).toBeFocused();
  await page.keyboard.press("End");
  await expect(entries.nth(count - 1)).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(snooze).toBeFocused();
  await expect(snooze).toHaveAttribute("aria-expanded", "false");

  // Space opens it too; Enter on the first preset (in 1 hour) snoozes.
  await page.keyboard.press(" ");
  await expect(entries.first()).toBeFocused();
  await expect(entries.first()).toHaveText(/In 1 hour/);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("toast-snoozed")).toBeVisible();
  await expect(item).toHaveCount(0);
  // The keyboard stays in the list: on the item that followed.
  await expect(person.itemButton("Database failover", "Inbox")).toBeFocused();

  const status = page.getByRole("group", { name: "Status" });
  await status.getByRole("button", { name: "Snoozed" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/status=snoozed/);
  await expect(person.item("Dentist tomorrow", "Inbox").getByTestId("snoozed-until")).toBeVisible();
});
