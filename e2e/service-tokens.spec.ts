import { expect, test } from "@playwright/test";
import { Person } from "./support";

test("a token created on the settings page sends a live notification, and stops working once revoked", async ({ browser, request }) => {
  const dana = await Person.signUp(browser, "Dana");
  const page = dana.page;
  await page.goto("/settings/tokens");
  await expect(page.getByText("No tokens yet")).toBeVisible();
  await page.getByLabel("Token name").fill("billing-service");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByLabel("New token secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^hrld_/);
  const listed = page.getByRole("listitem", { name: "Token billing-service" });
  await expect(listed).toContainText(secret.slice(0, 11));
  await expect(listed).not.toContainText(secret);

  // Another app, with nothing but the token: the bell lights up live.
  await dana.live();
  const send = () =>
    request.post("/api/v1/notifications", {
      headers: { Authorization: `Bearer ${secret}` },
      data: { to: dana.user.email, title: "Invoice INV-42 paid", category: "report" },
    });
  expect((await send()).status()).toBe(201);
  await expect(page.locator("[data-sonner-toast]").filter({ hasText: "Invoice INV-42 paid" })).toBeVisible();
  await expect(dana.bell()).toHaveAccessibleName("Notifications, 1 unread");

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
