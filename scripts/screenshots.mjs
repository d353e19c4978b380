#!/usr/bin/env node
// `npm run screenshots`: the README's pictures, taken by a script rather than by hand.
// It starts a throw-away embedded PostgreSQL and `next start` (or uses HERALD_BASE_URL plus
// DATABASE_URL of a server you already run), signs in the demo users, makes a realistic inbox
// through the app itself (a chat message, the demo endpoint) and writes PNGs to docs/screenshots/.
//   HERALD_SCREENSHOT_PORT (3199), HERALD_SCREENSHOT_PG_PORT (25449) choose the ports.
import { execSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { chromium } from "@playwright/test";
import { recreateDatabase } from "./lib/embedded-pg.mjs";
import { startMailCatcher } from "./lib/mail-catcher.mjs";
import { DEMO_PASSWORD, ROOT, SERVER, localSecrets, runMigrations, seedDemoUsers, startLocalPostgres } from "./lib/setup.mjs";
import { buildIfStale } from "./run.mjs";

const OUT = path.join(ROOT, "docs", "screenshots");

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execSync("command -v chromium || command -v chromium-browser", { shell: "/bin/sh" }).toString().trim().split("\n")[0];
  } catch {
    throw new Error("Chromium not found: install it with `apt-get install chromium` or set CHROMIUM_PATH.");
  }
}

async function waitForHealth(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error("the server exited during start-up");
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the server did not become healthy");
}

/** Our own database and server, unless the caller points us at theirs. */
async function startServer() {
  if (process.env.HERALD_BASE_URL) {
    if (!process.env.DATABASE_URL) throw new Error("with HERALD_BASE_URL, also set DATABASE_URL (to seed the demo users)");
    await seedDemoUsers(process.env.DATABASE_URL);
    return { baseUrl: process.env.HERALD_BASE_URL, databaseUrl: process.env.DATABASE_URL, stop: async () => {} };
  }
  const secrets = localSecrets();
  const pg = await startLocalPostgres("pg-screenshots", Number(process.env.HERALD_SCREENSHOT_PG_PORT ?? 25449));
  await recreateDatabase(pg.adminUrl, "herald_screenshots");
  const databaseUrl = pg.url.replace(/\/postgres$/, "/herald_screenshots");
  await runMigrations(databaseUrl);
  await seedDemoUsers(databaseUrl);
  const catcher = await startMailCatcher({ port: Number(process.env.HERALD_SCREENSHOT_MAIL_PORT ?? 1049), dir: path.join(ROOT, ".data", "mail-screenshots") });
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: secrets.authSecret,
    AUTH_TRUST_HOST: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    // As under npm start: alice is an admin (the dashboard); instances sample every 2 s so its charts fill.
    HERALD_ADMIN_EMAILS: "alice@example.com",
    HERALD_SAMPLE_INTERVAL_S: "2",
    SMTP_URL: catcher.url,
    HERALD_DEV_MAIL_DIR: catcher.dir,
    HERALD_EMAIL_DELAY_S: "0",
  };
  await buildIfStale(env);
  const port = process.env.HERALD_SCREENSHOT_PORT ?? "3199";
  const server = spawn(process.execPath, [SERVER, "--port", port, "--hostname", "127.0.0.1"], { cwd: ROOT, env, stdio: "ignore" });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
    }
    await pg.stop();
    await catcher.close();
  };
  try {
    await waitForHealth(baseUrl, server);
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, databaseUrl, stop };
}

async function signIn(browser, baseUrl, email, options = {}) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/chat/);
  await page.getByTestId("connection-dot").filter({ hasText: /live/ }).waitFor({ state: "attached" });
  return page;
}

const sendTest = (page, body) =>
  page.evaluate(async (b) => {
    const r = await fetch("/api/notifications/test", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(b) });
    if (!r.ok) throw new Error(`demo endpoint: ${r.status} ${await r.text()}`);
  }, body);

async function say(page, text) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.keyboard.press("Enter");
  await page.getByRole("list", { name: "Messages" }).getByText(text).waitFor();
}

async function shoot(page, name, options = {}) {
  await page.mouse.move(2, 2);
  await page.waitForTimeout(400); // let transitions settle
  await page.screenshot({ path: path.join(OUT, `${name}.png`), ...options });
  console.log(`[screenshots] docs/screenshots/${name}.png`);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu"] });
  try {
    // Some history, written the way any other program would: straight into the table.
    const sql = postgres(server.databaseUrl, { max: 1, onnotice: () => {} });
    await sql`
      insert into notifications (user_id, category, priority, title, body, created_at, read_at)
      select u.id, v.category::notification_category, v.priority::notification_priority, v.title, v.body,
             now() - v.age::interval, case when v.read then now() else null end
      from users u, (values
        ('feedback', 'normal', 'New 5-star review', '“Setup took five minutes. Love the bell.”', '26 hours', true),
        ('report', 'low', 'Weekly digest', '14 new sign-ups, 3 churned, 212 messages sent.', '3 hours', true),
        ('reminder', 'normal', 'Stand-up in 10 minutes', 'Room 4B or the usual video link.', '50 minutes', false)
      ) as v(category, priority, title, body, age, read)
      where u.email = 'alice@example.com'`;
    await sql.end();

    const bob = await signIn(browser, server.baseUrl, "bob@example.com");
    const alice = await signIn(browser, server.baseUrl, "alice@example.com");
    await sendTest(alice, { title: "Dentist tomorrow at 9:30", body: "Dr. Rivera, 2nd floor. Reply C to cancel.", category: "appointment", priority: "low" });
    await sendTest(alice, { title: "Review request expires soon", body: "Approve or decline the Q2 budget before it lapses.", category: "task", expiresInSeconds: 600, actionUrl: "/notifications", actionLabel: "Review" });
    await sendTest(alice, { title: "Your March export is ready", body: "1,204 rows in 3 sheets.", category: "report", priority: "high", actionUrl: "/notifications", actionLabel: "Download" });
    await sendTest(alice, { title: "Database CPU at 98%", body: "The primary has been above 95% for 5 minutes.", category: "system", priority: "urgent", actionUrl: "https://status.example.com", actionLabel: "Open status" });
    await bob.getByRole("button", { name: "Message Alice Martin" }).click();
    await bob.waitForURL(/\/chat\/.+/);
    await say(bob, "Are we still on for 3pm? I booked the room upstairs.");

    // 1. The bell's dropdown, over the chat page.
    await alice.goto("/chat");
    await alice.getByRole("button", { name: /^Notifications/ }).click();
    await alice.getByRole("list", { name: "Notifications", exact: true }).waitFor();
    await shoot(alice, "bell-dropdown");
    await alice.keyboard.press("Escape");

    // 2. Toasts: a chat message, an urgent alert and a high one, arriving live.
    await alice.goto("/notifications");
    await alice.getByTestId("connection-dot").filter({ hasText: /live/ }).waitFor({ state: "attached" });
    await say(bob, "Sent you the slides, take a look before the call.");
    await sendTest(alice, { title: "Payment failed for invoice #1042", body: "The card on file was declined.", category: "system", priority: "urgent", actionUrl: "/notifications", actionLabel: "Fix billing" });
    await sendTest(alice, { title: "Deploy finished", body: "main@4f2c1e is live on production.", category: "system", priority: "high", actionUrl: "/notifications", actionLabel: "View" });
    await alice.locator("[data-sonner-toast]").nth(2).waitFor();
    await alice.locator("[data-sonner-toast]").first().hover();
    await alice.waitForTimeout(500);
    await alice.screenshot({ path: path.join(OUT, "toast.png") });
    console.log("[screenshots] docs/screenshots/toast.png");

    // 3. The inbox, with a selection.
    await alice.goto("/notifications");
    await alice.getByRole("list", { name: "Inbox", exact: true }).waitFor();
    await alice.getByRole("checkbox", { name: /^Select: Payment failed/ }).check();
    await alice.getByRole("checkbox", { name: /^Select: Your March export/ }).check();
    await alice.evaluate(() => window.scrollTo(0, 0));
    await shoot(alice, "inbox");

    // 4. Dark mode follows the system; and a phone-sized screen.
    const dark = await signIn(browser, server.baseUrl, "alice@example.com", { colorScheme: "dark" });
    await dark.getByRole("button", { name: /^Notifications/ }).click();
    await dark.getByRole("list", { name: "Notifications", exact: true }).waitFor();
    await shoot(dark, "bell-dropdown-dark");
    const phone = await signIn(browser, server.baseUrl, "alice@example.com", { colorScheme: "dark", viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await phone.goto("/notifications");
    await phone.getByRole("list", { name: "Inbox", exact: true }).waitFor();
    await shoot(phone, "inbox-phone-dark");
    // 5. The demo page after a burst, with its live log.
    await alice.goto("/demo");
    await alice.getByTestId("connection-status").first().filter({ hasText: "Live" }).waitFor();
    await alice.getByRole("button", { name: "Report ready" }).click();
    await alice.getByRole("button", { name: "Burst of 10", exact: true }).click();
    await alice.getByTestId("stat-notifications").filter({ hasText: "10" }).waitFor();
    await alice.getByRole("button", { name: "Send notification" }).click();
    await alice.getByTestId("stat-notifications").filter({ hasText: "11" }).waitFor();
    await alice.waitForTimeout(300);
    await alice.evaluate(() => document.querySelectorAll("[data-sonner-toast]").forEach((t) => (t.style.display = "none")));
    await shoot(alice, "demo");

    // 6. Settings.
    await alice.goto("/settings/notifications");
    await alice.getByRole("button", { name: "Mute Feedback" }).first().click();
    await alice.getByTestId("save-status").filter({ hasText: "All changes saved" }).waitFor();
    await shoot(alice, "settings");

    // 7. A chat room's messages are one item while unread; the expander lists them.
    await say(bob, "Also, can you bring the budget sheet?");
    await alice.goto("/notifications");
    const inbox = alice.getByRole("list", { name: "Inbox", exact: true });
    await inbox.waitFor();
    const group = inbox.locator("li[data-group-count='3']");
    await group.getByRole("button", { name: "Show all 3" }).click();
    await group.getByTestId("group-members").getByText("Also, can you bring the budget sheet?").waitFor();
    await alice.evaluate(() => window.scrollTo(0, 0));
    await shoot(alice, "inbox-groups");

    // 8. Snooze: the menu's presets, then the Snoozed view.
    await alice.goto("/notifications");
    await inbox.waitFor();
    await alice.getByRole("button", { name: "Snooze: Dentist tomorrow at 9:30" }).click();
    await alice.getByRole("menu", { name: "Snooze: Dentist tomorrow at 9:30" }).waitFor();
    await shoot(alice, "snooze-menu");
    await alice.getByRole("menuitem", { name: /^Tomorrow/ }).click();
    await alice.getByRole("button", { name: "Snoozed", exact: true }).click();
    await alice.getByTestId("snoozed-until").first().waitFor();
    await shoot(alice, "snoozed");

    // 9. Search, ranked as you type, matches marked.
    await alice.goto("/notifications?q=budget");
    await inbox.locator("mark").first().waitFor();
    await shoot(alice, "inbox-search");

    // 10. The admin dashboard, after a minute of traffic: bursts in several categories (reports also
    // by email, to the local mail catcher), a few read and clicked.
    const prefs = await alice.evaluate(async () => {
      const r = await fetch("/api/preferences", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ categories: { report: { email: true } } }) });
      return r.status;
    });
    if (prefs !== 200) throw new Error(`preferences: ${prefs}`);
    for (const [category, title] of [["system", "Deploy finished"], ["report", "Weekly report"], ["task", "Review requested"], ["message", "New comment"]]) {
      await sendTest(alice, { title, category, actionUrl: "/notifications", actionLabel: "Open", count: 8 });
    }
    const writer = postgres(server.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      // The last hour's history, as another program would write it: rows for demo users who are not
      // signed in (a stream would count each as delivered live, that many minutes after created_at).
      await writer`
        insert into notifications (user_id, category, title, action_url, created_at, read_at, clicked_at)
        select u.id, (array['message', 'system', 'report', 'task', 'reminder'])[1 + (g % 5)]::notification_category, 'Earlier ' || g,
               case when g % 3 = 0 then '/notifications' end, now() - make_interval(secs => 60 + (g * 137) % 3000),
               case when g % 2 = 0 then now() end, case when g % 6 = 0 then now() end
          from users u, generate_series(1, 90) g
         where u.email not in ('alice@example.com', 'bob@example.com') and (g + length(u.email)) % 4 <> 0`;
      await writer`update notifications set read_at = now() where id in (select id from notifications where read_at is null order by random() limit 20)`;
      await writer`update notifications set clicked_at = now() where id in (select id from notifications where read_at is not null and action_url is not null order by random() limit 9)`;
    } finally {
      await writer.end();
    }
    await alice.goto("/admin");
    await alice.getByTestId("chart-per-minute").locator("canvas").waitFor();
    await alice.getByTestId("chart-latency").locator('li[data-series="p50"]').getByTestId("series-value").filter({ hasText: /\d/ }).waitFor();
    await alice.waitForTimeout(500);
    await shoot(alice, "admin", { fullPage: true });
    await dark.goto("/admin");
    await dark.getByTestId("chart-latency").locator('li[data-series="p50"]').getByTestId("series-value").filter({ hasText: /\d/ }).waitFor();
    await dark.waitForTimeout(500);
    await shoot(dark, "admin-dark", { fullPage: true });

  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
