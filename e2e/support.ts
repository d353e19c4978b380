import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { test as base, expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import postgres from "postgres";
import { claimAdminUser } from "../tests/support/admins";
import { passGate } from "./gate";

export type E2EUser = { name: string; email: string; password: string };

export type TestNotification = {
  title: string;
  body?: string;
  category?: string;
  priority?: "low" | "normal" | "high" | "urgent";
  actionUrl?: string;
  actionLabel?: string;
  recipientEmail?: string;
  expiresInSeconds?: number;
  count?: number;
};

export { expect };

/**
 * Playwright's test, with every browser context a test opened closed when it ends. The people of a
 * test live in contexts of the worker's one browser; left open, each kept its page, its stream and its
 * animations running through every later test, and the suite slowed as it went.
 */
export const test = base.extend<{ gate: void; closeContexts: void }>({
  // First of all (auto fixtures are set up before the others): the time waited is not the test's.
  gate: [
    async ({}, use, testInfo) => {
      const { release, waitedMs } = await passGate();
      testInfo.setTimeout(testInfo.timeout + waitedMs);
      try {
        await use();
      } finally {
        release();
      }
    },
    { auto: true },
  ],
  closeContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      await Promise.all(browser.contexts().filter((c) => !before.has(c)).map((c) => c.close()));
    },
    { auto: true },
  ],
});

const PASSWORD = "e2e-password-123";
let sql: postgres.Sql | undefined;
let passwordHash: Promise<string> | undefined;

/** This worker's connection to the test database (closed with the worker). */
export function e2eSql() {
  sql ??= postgres(process.env.DATABASE_URL!, { max: 2, idle_timeout: 5, onnotice: () => {} });
  return sql;
}

/** One hash per worker: hashing is what makes a sign-up slow, and every test user has this password. */
export const e2ePasswordHash = () => (passwordHash ??= hash(PASSWORD));

/** A fresh user's name, email and password (nobody has them yet). */
function freshUser(first: string): E2EUser {
  return { name: `${first} ${randomUUID().slice(0, 4)}`, email: `${first.toLowerCase()}-${randomUUID().slice(0, 8)}@e2e.example`, password: PASSWORD };
}

/**
 * The one place e2e users are written to the database, as the sign-up form would store them once
 * the emailed link was followed (the tests of the forms and of the banner use Person.signUp).
 */
export async function insertUser(first: string): Promise<E2EUser & { id: string }> {
  const user = freshUser(first);
  const [{ id }] = await e2eSql()<{ id: string }[]>`
    insert into users (email, name, password_hash, email_verified_at)
    values (${user.email}, ${user.name}, ${await e2ePasswordHash()}, now()) returning id`;
  return { ...user, id };
}

/** Signs `context` in through Auth.js's own endpoints (what the sign-in form posts), without a page. */
export async function signInContext(context: BrowserContext, user: E2EUser) {
  const { csrfToken } = await (await context.request.get("/api/auth/csrf")).json();
  const res = await context.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password },
    maxRedirects: 0,
  });
  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name.includes("session-token")), `sign-in of ${user.email}: ${res.status()}`).toBe(true);
}

/** A page object for one signed-in person: each test has its own fresh users. */
export class Person {
  private constructor(
    readonly page: Page,
    readonly user: E2EUser,
  ) {}

  /** A fresh user made in the database and signed in without the forms, on /chat (where sign-up lands). */
  static async create(browser: Browser, first: string, options: { context?: BrowserContext } = {}) {
    return Person.session(browser, await insertUser(first), options);
  }

  /** `user` signed in through the API in a fresh context (or `context`), on /chat. */
  static async session(browser: Browser, user: E2EUser, options: { context?: BrowserContext } = {}) {
    const context = options.context ?? (await browser.newContext());
    await signInContext(context, user);
    const page = await context.newPage();
    await page.goto("/chat");
    await expect(page).toHaveURL(/\/chat$/);
    return new Person(page, user);
  }

  /** Through the sign-up form, for the tests of the form and of what follows a real sign-up. */
  static async signUp(browser: Browser, first: string, options: { context?: BrowserContext } = {}) {
    const context = options.context ?? (await browser.newContext());
    const page = await context.newPage();
    const user = freshUser(first);
    await page.goto("/signup");
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/chat$/);
    return new Person(page, user);
  }

  /**
   * A fresh admin: an email of HERALD_ADMIN_EMAILS nobody has yet (tests/support/admins.ts), so the
   * account is made in the database.
   */
  static async admin(browser: Browser, first: string, options: { context?: BrowserContext } = {}) {
    const user = freshUser(first);
    user.email = (await claimAdminUser(e2eSql(), user.name, await e2ePasswordHash())).email;
    return Person.session(browser, user, options);
  }

  /** The same person signing in from another browser (a fresh context, so no shared cookies). */
  static async signIn(browser: Browser, user: E2EUser, options: { context?: BrowserContext } = {}) {
    const page = await (options.context ?? (await browser.newContext())).newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/chat$/);
    return new Person(page, user);
  }

  // --- Email verification (a fresh sign-up is unverified: no email until the link is followed) ---

  /** The banner an unverified person sees on every page of the app. */
  verifyBanner() {
    return this.page.getByRole("region", { name: "Email verification" });
  }

  /** Follows the newest verification link mailed to this person, through /dev/mail, as they would. */
  async verifyEmail() {
    const page = this.page;
    await page.goto("/dev/mail");
    const mail = page.getByRole("link", { name: /Verify your email address/ }).first();
    await expect(mail).toBeVisible({ timeout: 20_000 });
    await mail.click();
    const text = await page.getByRole("region", { name: "Text" }).innerText();
    const link = /\/verify\/[A-Za-z0-9_-]{43}/.exec(text);
    expect(link, "the email holds a verification link").not.toBeNull();
    await page.goto(link![0]);
    await page.getByRole("button", { name: "Verify my email" }).click();
    await expect(page).toHaveURL(/\/verified$/);
    await expect(page.getByRole("heading", { name: "Email verified" })).toBeVisible();
  }

  // --- end of email verification ---

  /** Another tab of the same browser session. */
  async newTab(path = "/chat") {
    const page = await this.page.context().newPage();
    await page.goto(path);
    return new Person(page, this.user);
  }

  /** The same person on a page the test opened itself. */
  on(page: Page) {
    return new Person(page, this.user);
  }

  bell() {
    return this.page.getByRole("button", { name: /^Notifications/ });
  }

  panel() {
    return this.page.getByRole("dialog", { name: "Notifications" });
  }

  /** The dropdown's (or the inbox's) notification list. */
  items(list: "Notifications" | "Inbox" = "Notifications") {
    return this.page.getByRole("list", { name: list, exact: true }).getByRole("listitem");
  }

  item(title: string | RegExp, list: "Notifications" | "Inbox" = "Notifications") {
    return this.items(list).filter({ hasText: title });
  }

  /** The item's main button (its name starts with the title; its actions' names do not). */
  itemButton(title: string, list: "Notifications" | "Inbox" = "Notifications") {
    return this.item(title, list).getByRole("button", { name: new RegExp(`^${escapeRegExp(title)}`) });
  }

  /** Clicks a toast's button; hovering the stack first spreads it out, as a user's pointer would. */
  async clickToast(text: string | RegExp, button: string) {
    await this.toasts().first().hover();
    await this.toast(text).getByRole("button", { name: button }).click();
    // Toasts do not time out under the pointer: move away, as a user would.
    await this.page.mouse.move(0, 0);
  }

  toasts() {
    return this.page.locator("[data-sonner-toast]");
  }

  toast(text: string | RegExp): Locator {
    return this.toasts().filter({ hasText: text });
  }

  async openBell() {
    if ((await this.bell().getAttribute("aria-expanded")) !== "true") await this.bell().click();
    await expect(this.panel()).toBeVisible();
    return this.panel();
  }

  async closeBell() {
    await this.page.keyboard.press("Escape");
    await expect(this.panel()).toBeHidden();
  }

  /** Waits until the live stream is connected (so nothing sent afterwards can be missed). */
  async live() {
    await expect(this.page.getByTestId("connection-dot").or(this.page.getByTestId("connection-status")).first()).toContainText(/live/i);
  }

  async expectUnread(n: number) {
    // ", M new" follows when fewer than all unread items are new (unseen).
    await expect(this.bell()).toHaveAccessibleName(n > 0 ? new RegExp(`^Notifications, ${n} unread(, \\d+ new)?$`) : "Notifications");
  }

  /** The demo endpoint, called from the page like the app does (same-origin, with the session cookie). */
  async sendTest(input: TestNotification) {
    const res = await this.page.evaluate(async (body) => {
      const r = await fetch("/api/notifications/test", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.json() };
    }, input);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; title: string } & { items?: { id: string }[] };
  }

  /** Any API call from the page, returning status and JSON. */
  async api(path: string, init: { method?: string; body?: unknown } = {}) {
    return this.page.evaluate(
      async ({ path, init }) => {
        const r = await fetch(path, {
          method: init.method ?? (init.body === undefined ? "GET" : "POST"),
          headers: init.body === undefined ? {} : { "Content-Type": "application/json" },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
        const text = await r.text();
        return { status: r.status, body: text ? JSON.parse(text) : null };
      },
      { path, init },
    );
  }

  async openRoomWith(other: Person) {
    await this.page.goto("/chat");
    await this.page.getByRole("textbox", { name: "Email address" }).fill(other.user.email);
    await this.page.getByRole("button", { name: "Start conversation" }).click();
    await expect(this.page.getByRole("heading", { name: other.user.name })).toBeVisible();
  }

  /** Sends a message and waits until the server has stored it (the optimistic copy is replaced). */
  async send(text: string) {
    await this.page.getByRole("textbox", { name: "Message" }).fill(text);
    await this.page.keyboard.press("Enter");
    const message = this.page.getByRole("list", { name: "Messages" }).getByRole("listitem").filter({ hasText: text }).last();
    await expect(message).toBeVisible();
    await expect(message).not.toHaveAttribute("aria-busy", "true");
  }
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
