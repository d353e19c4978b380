import { expect, Person, test } from "./support";

/** The service worker's global, as the test reaches into it. */
type WorkerScope = { registration: ServiceWorkerRegistration; heraldHandleClick: (n: Notification) => Promise<unknown> };

test("switching Email on and sending a test shows the email at /dev/mail, to its recipient only", async ({ browser }) => {
  const me = await Person.create(browser, "Mailbox");
  const page = me.page;
  await page.goto("/settings/notifications");
  await page.getByRole("switch", { name: "Email for General" }).click();
  await expect(page.getByTestId("save-status")).toHaveText("All changes saved");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("instant");

  const title = `Mail check ${Date.now()}`;
  await me.sendTest({ title, body: "<b>literally</b>", category: "general" });
  await page.goto("/dev/mail");
  // Sent after the test server's 2-second delay; the page refreshes itself.
  await expect(page.getByRole("link", { name: new RegExp(title) })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByRole("region", { name: "Text" })).toContainText("<b>literally</b>");
  await expect(page.getByRole("region", { name: "Headers" })).toContainText("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
  const html = page.frameLocator('iframe[title="HTML part"]');
  await expect(html.getByText("<b>literally</b>").last()).toBeVisible();

  const other = await Person.create(browser, "Nosy");
  await other.page.goto("/dev/mail");
  await expect(other.page.getByText("No mail yet")).toBeVisible();
  await expect(other.page.getByRole("link", { name: new RegExp(title) })).toHaveCount(0);
});

test("a fresh sign-up sees the verification banner with Resend, until the emailed link is followed", async ({ browser }) => {
  const me = await Person.signUp(browser, "Unverified");
  await expect(me.verifyBanner()).toBeVisible();
  await expect(me.verifyBanner()).toContainText(me.user.email);
  await me.verifyBanner().getByRole("button", { name: "Resend" }).click();
  await expect(me.verifyBanner().getByRole("status")).toHaveText(`A new link is on its way to ${me.user.email}.`);
  // The resent link replaced the first: the newest one verifies.
  await me.verifyEmail();
  await me.page.goto("/chat");
  await expect(me.page.getByRole("button", { name: /^Notifications/ })).toBeVisible();
  await expect(me.verifyBanner()).toHaveCount(0);
});

// Full Chromium: the headless shell refuses showNotification whatever the permission says.
test("the service worker shows a push and its click marks it read and opens Herald", { tag: "@full-browser" }, async ({ browser }) => {
  const me = await Person.create(browser, "Pushy");
  const { page } = me;
  const context = page.context();
  await context.grantPermissions(["notifications"]);
  await page.goto("/settings/notifications");
  const origin = new URL(page.url()).origin;

  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const mine = registrations.find((r: { scopeURL: string; isDeleted: boolean }) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  await page.evaluate(async () => {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    await navigator.serviceWorker.ready;
  });
  const registrationId = await registration;

  const n = await me.sendTest({ title: "Pushed to you", body: "from the push service", category: "general" });
  const payload = { id: n.id, title: "Pushed to you", body: "from the push service", url: "/notifications", priority: "normal", category: "general" };
  await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: JSON.stringify(payload) });

  const worker = context.serviceWorkers().find((w) => w.url().endsWith("/sw.js")) ?? (await context.waitForEvent("serviceworker"));
  await expect
    .poll(() =>
      worker.evaluate(async () =>
        (await (self as unknown as WorkerScope).registration.getNotifications()).map((x: Notification) => ({ title: x.title, body: x.body, tag: x.tag })),
      ),
    )
    .toEqual([{ title: "Pushed to you", body: "from the push service", tag: `herald-${n.id}` }]);

  await worker.evaluate(async () => {
    const sw = self as unknown as WorkerScope;
    const [shown] = await sw.registration.getNotifications();
    await sw.heraldHandleClick(shown);
  });
  await expect(page).toHaveURL(/\/notifications$/);
  await expect.poll(async () => (await me.api(`/api/notifications/${n.id}`)).body.readAt).not.toBeNull();
  // Without an action it is only read; one with an action records the click-through too.
  expect((await me.api(`/api/notifications/${n.id}`)).body.clickedAt).toBeNull();

  const withAction = await me.sendTest({ title: "Pushed with an action", category: "general", actionUrl: "/settings/account", actionLabel: "Account" });
  const actionPayload = { id: withAction.id, title: "Pushed with an action", body: "", url: "/settings/account", action: true, priority: "normal", category: "general" };
  await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: JSON.stringify(actionPayload) });
  await expect
    .poll(() => worker.evaluate(async () => (await (self as unknown as WorkerScope).registration.getNotifications()).map((x: Notification) => x.title)))
    .toEqual(["Pushed with an action"]);
  await worker.evaluate(async () => {
    const sw = self as unknown as WorkerScope;
    const [shown] = await sw.registration.getNotifications();
    await sw.heraldHandleClick(shown);
  });
  await expect(page).toHaveURL(/\/settings\/account$/);
  const clicked = (await me.api(`/api/notifications/${withAction.id}`)).body;
  expect(clicked.clickedAt).not.toBeNull();
  expect(clicked.readAt).not.toBeNull();
});

test("settings list this account's push devices and remove one", async ({ browser }) => {
  const me = await Person.create(browser, "Devices");
  const p256dh = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
  const res = await me.api("/api/push/subscriptions", {
    body: { endpoint: `https://fcm.googleapis.com/fcm/send/${Date.now()}`, expirationTime: null, keys: { p256dh, auth: "tBHItJI5svbpez7KI4CCXg" }, name: "Test phone" },
  });
  expect(res.status).toBe(201);
  await me.page.goto("/settings/notifications");
  const device = me.page.getByRole("listitem", { name: "Test phone" });
  await expect(device).toContainText("last used never");
  await me.page.getByRole("button", { name: "Remove Test phone" }).click();
  await expect(device).toHaveCount(0);
  await expect(me.page.getByText("No devices yet.")).toBeVisible();
});
