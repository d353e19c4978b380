import { expect, Person, test } from "./support";

test("a token created on the settings page sends a live notification, and stops working once revoked", async ({ browser, request }) => {
  const dana = await Person.create(browser, "Dana");
  const page = dana.page;
  await page.goto("/settings/tokens");
  await expect(page.getByText("No tokens yet")).toBeVisible();
  // A member's tokens notify only her: there is no scope to choose.
  await expect(page.getByLabel("Can notify")).toHaveCount(0);
  await page.getByLabel("Token name").fill("billing-service");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByLabel("New token secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^hrld_/);
  const listed = page.getByRole("listitem", { name: "Token billing-service" });
  await expect(listed).toContainText(secret.slice(0, 11));
  await expect(listed).not.toContainText(secret);
  await expect(listed.getByTestId("token-scope")).toHaveText("Notifies only you · every category");

  // Another app, with nothing but the token: the bell lights up live.
  await dana.live();
  const send = (to = dana.user.email) =>
    request.post("/api/v1/notifications", {
      headers: { Authorization: `Bearer ${secret}` },
      data: { to, title: "Invoice INV-42 paid", category: "report" },
    });
  expect((await send()).status()).toBe(201);
  await expect(page.locator("[data-sonner-toast]").filter({ hasText: "Invoice INV-42 paid" })).toBeVisible();
  await expect(dana.bell()).toHaveAccessibleName("Notifications, 1 unread");
  await dana.openBell();
  await expect(dana.item("Invoice INV-42 paid")).toContainText("via billing-service");
  await dana.closeBell();
  // Nobody else: whoever the address is.
  const elsewhere = await send("alice@example.com");
  expect(elsewhere.status()).toBe(403);
  expect((await elsewhere.json()).error.code).toBe("recipient_not_allowed");

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Revoke billing-service" }).click();
  await expect(listed).toContainText("Revoked");
  // Reloading shows no secret any more: it was shown once.
  await page.reload();
  await expect(page.getByLabel("New token secret")).toHaveCount(0);
  const refused = await send();
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("invalid_token");
});

test("an admin's token for any user, limited to a category, notifies someone else, who sees which token sent it", async ({ browser, request }) => {
  const [admin, bob] = [await Person.admin(browser, "Ada"), await Person.create(browser, "Bob")];
  await admin.page.goto("/settings/tokens");
  // A refusal keeps what was chosen; only the name needs fixing.
  await admin.page.getByLabel("Token name").fill("   ");
  await admin.page.getByLabel("Can notify").selectOption("users");
  await admin.page.getByRole("checkbox", { name: "System" }).check();
  await admin.page.getByRole("button", { name: "Create token" }).click();
  await expect(admin.page.getByRole("main").getByRole("alert")).toContainText("Name is required");
  await expect(admin.page.getByLabel("Can notify")).toHaveValue("users");
  await expect(admin.page.getByRole("checkbox", { name: "System" })).toBeChecked();
  await admin.page.getByLabel("Token name").fill("deploy-bot");
  await admin.page.getByRole("button", { name: "Create token" }).click();
  const secret = (await admin.page.getByLabel("New token secret").textContent())?.trim() ?? "";
  // Made: the form is empty for the next one.
  await expect(admin.page.getByLabel("Token name")).toHaveValue("");
  await expect(admin.page.getByRole("checkbox", { name: "System" })).not.toBeChecked();
  await expect(admin.page.getByRole("listitem", { name: "Token deploy-bot" }).getByTestId("token-scope")).toHaveText("Notifies any user · System");

  await bob.live();
  const send = (category: string) =>
    request.post("/api/v1/notifications", {
      headers: { Authorization: `Bearer ${secret}` },
      data: { to: bob.user.email, title: `Deploy finished (${category})`, category },
    });
  expect((await send("system")).status()).toBe(201);
  expect((await send("report")).status()).toBe(403);
  await bob.openBell();
  await expect(bob.item("Deploy finished (system)")).toContainText("via deploy-bot");
  await expect(bob.items()).toHaveCount(1);
});
