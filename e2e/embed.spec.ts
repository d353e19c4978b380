import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page, Request } from "@playwright/test";
import { createTestApp, mintSubscriberToken, type TestApp } from "../tests/support/apps";
import { service } from "../tests/support/api";
import { e2eSql, expect, test } from "./support";

// <herald-inbox> on a real second site: examples/host-app in its own process on localhost, Herald on
// 127.0.0.1 (two origins). The page signs in there, the element fetches its token from the host.

const HERALD = process.env.HERALD_BASE_URL!;
const HOST_PORT = Number(process.env.HERALD_TEST_HOST_APP_PORT);
const HOST = `http://localhost:${HOST_PORT}`;
/** The same host app under another origin, which the app does not allow. */
const OTHER_ORIGIN = `http://127.0.0.1:${HOST_PORT}`;

let app: TestApp;
let host: ChildProcess;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  app = await createTestApp("embed", [HOST]);
  const root = fileURLToPath(new URL("..", import.meta.url));
  host = spawn(path.join(root, "node_modules/.bin/tsx"), ["--tsconfig", "examples/host-app/tsconfig.json", "examples/host-app/serve.ts"], {
    cwd: root,
    env: { ...process.env, HOST_APP_PORT: String(HOST_PORT), HERALD_URL: HERALD, HERALD_APP_TOKEN: app.token.secret, HERALD_KID: app.kid, HERALD_SECRET: app.secret },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    host.once("exit", (code) => reject(new Error(`host app exited with ${code}`)));
    host.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("[host-app]") && resolve());
  });
});

test.afterAll(() => {
  host?.kill();
});

const inbox = (page: Page) => page.locator("herald-inbox");
const bell = (page: Page) => inbox(page).getByRole("button", { name: /^Notifications/ });
const isStream = (r: Request) => new URL(r.url()).pathname === "/api/notifications/stream";

/** Every DOM event the element sends, recorded from the page's first script on. */
async function recordEvents(page: Page) {
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { heraldEvents: { type: string; detail: unknown }[] };
    w.heraldEvents = [];
    for (const type of ["herald:notification-click", "herald:unread-change", "herald:connection", "herald:error"]) {
      document.addEventListener(type, (e) => w.heraldEvents.push({ type, detail: (e as CustomEvent).detail }));
    }
  });
}

const events = (page: Page, type: string) =>
  page.evaluate((t) => (window as unknown as { heraldEvents: { type: string; detail: any }[] }).heraldEvents.filter((e) => e.type === t).map((e) => e.detail), type);

async function signInOnHost(browser: Browser, origin: string, user: "ada" | "grace", query = "") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await recordEvents(page);
  await page.goto(`${origin}/${query}`);
  await page.getByRole("button", { name: `Continue as ${user === "ada" ? "Ada" : "Grace"}` }).click();
  return page;
}

const sendByExternalId = (externalId: string, body: Record<string, unknown>) =>
  service("/api/v1/notifications", { token: app.token.secret, body: { to: externalId, ...body } }).then((r) => expect(r.status).toBe(201));

test("signs in through the host's token endpoint; v1 and SQL notifications arrive live with a toast; a cancelled click stays", async ({ browser }) => {
  await sendByExternalId("ada", { title: "Waiting before sign-in" });
  const page = await signInOnHost(browser, HOST, "ada");
  await expect(bell(page)).toHaveAccessibleName("Notifications, 1 unread");
  await expect(inbox(page).getByTestId("unread-badge")).toHaveText("1");
  await expect.poll(() => events(page, "herald:connection").then((s) => s.at(-1)?.state)).toBe("live");

  await sendByExternalId("ada", { title: "Shipped by the v1 API", actionUrl: "/orders/42" });
  await expect(inbox(page).getByTestId("toast-normal").filter({ hasText: "Shipped by the v1 API" })).toBeVisible();
  await e2eSql()`insert into notifications (user_id, title) values (herald_subscriber(${app.id}::uuid, 'ada'), 'Written in SQL')`;
  await expect(inbox(page).getByTestId("toast-normal").filter({ hasText: "Written in SQL" })).toBeVisible();
  await expect(inbox(page).getByTestId("unread-badge")).toHaveText("3");
  await expect.poll(() => events(page, "herald:unread-change").then((c) => c.at(-1))).toEqual({ unreadCount: 3, unseenCount: 3 });

  await page.evaluate(() => document.addEventListener("herald:notification-click", (e) => e.preventDefault()));
  await bell(page).click();
  await inbox(page).getByRole("listitem").filter({ hasText: "Shipped by the v1 API" }).getByText("Shipped by the v1 API").click();
  await expect.poll(() => events(page, "herald:notification-click").then((d) => d.map((x) => x.notification.title))).toEqual(["Shipped by the v1 API"]);
  // Still this page: a notification sent after the click toasts here (/orders/42 has no inbox).
  await sendByExternalId("ada", { title: "After the click" });
  await expect(inbox(page).getByTestId("toast-normal").filter({ hasText: "After the click" })).toBeVisible();
  expect(page.url()).toBe(`${HOST}/`);

  // A burst collapses into one toast; its "View all" opens the dropdown (the host has no inbox page).
  await page.mouse.click(5, 5);
  await expect(bell(page)).toHaveAttribute("aria-expanded", "false");
  await e2eSql()`insert into notifications (user_id, title) select herald_subscriber(${app.id}::uuid, 'ada'), 'Burst ' || g from generate_series(1, 6) g`;
  await inbox(page).getByTestId("toast-burst").getByRole("button", { name: "View all" }).click();
  await expect(bell(page)).toHaveAttribute("aria-expanded", "true");
  await expect(inbox(page).getByRole("listitem").filter({ hasText: "Burst 6" })).toBeVisible();
  expect(page.url()).toBe(`${HOST}/`);
});

test("a token that expires mid-session is replaced, and what was sent while none was valid arrives", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await recordEvents(page);
  const externalId = `refresh-${Date.now()}`;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let minted = 0;
  let secondAsked!: () => void;
  const secondRequest = new Promise<void>((r) => (secondAsked = r));
  // The first token lives 4 s; the element asks for the next one before then, and gets it only
  // once the stream has ended on the expired one and a notification has been sent in the gap.
  await page.exposeFunction("mintToken", async () => {
    if (++minted === 1) return mintSubscriberToken(app, externalId, { expiresIn: 4 });
    secondAsked();
    await gate;
    return mintSubscriberToken(app, externalId);
  });
  await page.goto(`${HOST}/?plain`);
  const streamEnded = page.waitForEvent("requestfinished", { predicate: isStream, timeout: 20_000 });
  await page.evaluate((server) => {
    const el = document.createElement("herald-inbox") as HTMLElement & { getToken?: () => Promise<string> };
    el.setAttribute("server", server);
    el.getToken = () => (window as unknown as { mintToken: () => Promise<string> }).mintToken();
    document.body.append(el);
  }, HERALD);
  await expect.poll(() => events(page, "herald:connection").then((s) => s.at(-1)?.state)).toBe("live");
  await secondRequest;
  await streamEnded;
  await sendByExternalId(externalId, { title: "Sent in the gap" });
  release();
  await expect(inbox(page).getByTestId("toast-normal").filter({ hasText: "Sent in the gap" })).toBeVisible();
  await expect(inbox(page).getByTestId("unread-badge")).toHaveText("1");
  expect(minted).toBe(2);
});

test("an origin the app does not allow, and a bad token, show an error and say so to the host", async ({ browser }) => {
  const refused = await signInOnHost(browser, OTHER_ORIGIN, "grace");
  await expect(inbox(refused).getByRole("alert")).toContainText("Notifications unavailable");
  await expect(bell(refused)).toHaveCount(0);
  expect((await events(refused, "herald:error")).map((e) => e.code)).toEqual(["origin_not_allowed"]);

  const page = await (await browser.newContext()).newPage();
  await recordEvents(page);
  await page.goto(`${HOST}/?plain`);
  await page.evaluate((server) => {
    const el = document.createElement("herald-inbox") as HTMLElement & { getToken?: () => Promise<string> };
    el.setAttribute("server", server);
    el.getToken = async () => "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad";
    document.body.append(el);
  }, HERALD);
  await expect(inbox(page).getByRole("alert")).toContainText("Notifications unavailable");
  await expect.poll(() => events(page, "herald:error").then((e) => e.map((x) => x.code))).toEqual(["invalid_token"]);
});

/** Computed styles of everything inside the open dropdown, in document order. */
async function insideStyles(page: Page) {
  await bell(page).click();
  await expect(inbox(page).getByRole("dialog")).toBeVisible();
  await expect(inbox(page).getByRole("listitem").first()).toBeVisible();
  await expect(inbox(page).getByTestId("connection-status")).toContainText("Live");
  // Opening marked it seen: the badge goes, on both pages alike.
  await expect(inbox(page).getByTestId("unread-badge")).toHaveCount(0);
  return page.locator("herald-inbox").evaluate((el) =>
    [...el.shadowRoot!.querySelectorAll("*")].filter((n) => !(n instanceof HTMLStyleElement)).map((n) => {
      const s = getComputedStyle(n);
      return [n.tagName, s.fontFamily, s.fontSize, s.color, s.boxSizing, s.margin, s.padding, s.borderTopStyle, s.letterSpacing, s.textTransform, s.backgroundColor].join(" | ");
    }),
  );
}

test("the host's hostile stylesheet changes nothing inside; axe finds no serious violation, light and dark", async ({ browser }) => {
  // Sent before the page opens: no toast, so both pages show the same elements.
  await sendByExternalId("grace", { title: "Style check", body: "Nothing of the host reaches here" });
  const page = await signInOnHost(browser, HOST, "grace", "?theme=light&plain");
  await expect(inbox(page).getByTestId("unread-badge")).toHaveText("1");
  const plain = await insideStyles(page);
  await page.goto(`${HOST}/?theme=light`);
  expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain("Comic Sans");
  expect(await insideStyles(page)).toEqual(plain);

  for (const theme of ["light", "dark"]) {
    await page.goto(`${HOST}/?theme=${theme}`);
    await bell(page).click();
    await expect(inbox(page).getByRole("listitem").first()).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).include("herald-inbox").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).options({ resultTypes: ["violations"] }).analyze();
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), theme).toEqual([]);
  }
});

test("two host tabs hold one stream; closing the leader hands over without losing an event", async ({ browser }) => {
  const first = await signInOnHost(browser, HOST, "ada", "?plain");
  const context = first.context();
  // Counted from once the sign-in page is gone: its own stream may start after it returned.
  await first.close();
  const streams: Page[] = [];
  context.on("request", (r) => void (isStream(r) && streams.push(r.frame().page())));
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) {
    await tab.goto(`${HOST}/?plain`);
    await expect(bell(tab)).toBeVisible();
  }
  await sendByExternalId("ada", { title: "To both tabs" });
  for (const tab of tabs) await expect(inbox(tab).getByTestId("toast-normal").filter({ hasText: "To both tabs" })).toBeVisible();
  expect(streams).toHaveLength(1);
  const follower = tabs.find((t) => t !== streams[0])!;

  await streams[0].close();
  await sendByExternalId("ada", { title: "During the handover" });
  await expect(inbox(follower).getByTestId("toast-normal").filter({ hasText: "During the handover" })).toBeVisible();
  expect(streams).toHaveLength(2);
  expect(streams[1]).toBe(follower);
});
