import { SignJWT } from "jose";
import { expect, Person, test } from "./support";

const HOST = "http://localhost:4100";

/** What the host's server does for its signed-in user: HS256 with the app's signing key. */
const subscriberToken = (kid: string, secret: string, externalId: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: "HS256", kid })
    .setSubject(externalId)
    .setAudience("herald")
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(secret));

test("an admin sets up an app on /settings/apps: its key and app token work, a new key rotates, deleting one ends its tokens", async ({ browser, request }) => {
  const ada = await Person.admin(browser, "Ada");
  const { page } = ada;
  await page.goto("/settings/notifications");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Apps" }).click();
  await expect(page.getByRole("heading", { name: "Apps", level: 1 })).toBeVisible();

  const name = `Shop ${Date.now()}`;
  const newApp = page.getByRole("region", { name: "New app" });
  await newApp.getByLabel("Name").fill(name);
  await newApp.getByLabel("Allowed origins").fill(`${HOST}\nhttps://shop.example/path`);
  await newApp.getByRole("button", { name: "Create app" }).click();
  await expect(newApp.getByRole("alert")).toContainText("must be an origin exactly as browsers send it");
  await newApp.getByLabel("Allowed origins").fill(`${HOST}\nhttps://shop.example`);
  await newApp.getByRole("button", { name: "Create app" }).click();
  const firstSecret = (await newApp.getByLabel("New signing key secret").textContent())?.trim() ?? "";
  expect(firstSecret).toMatch(/^hsk_/);
  const firstKid = /key_[A-Za-z0-9_-]{12}/.exec((await newApp.getByRole("status").textContent()) ?? "")![0];
  await expect(page.getByRole("list", { name: "Apps" })).toContainText(name);
  await newApp.getByRole("link", { name: "Set up the app: tokens and keys" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId("subscriber-count")).toHaveText("0 subscribers");

  // An app token: the host's server identifies and notifies its users under its own ids.
  const tokenForm = page.getByRole("region", { name: "App token" });
  await tokenForm.getByLabel("Token name").fill("shop-backend");
  await tokenForm.getByRole("button", { name: "Create app token" }).click();
  const appToken = (await tokenForm.getByLabel("New app token").textContent())?.trim() ?? "";
  expect(appToken).toMatch(/^hrld_/);
  const sent = await request.post("/api/v1/notifications", { headers: { Authorization: `Bearer ${appToken}` }, data: { to: "u_42", title: "Order shipped" } });
  expect(sent.status()).toBe(201);

  // The subscriber's browser, on the host's origin, reads its inbox with a token the first key signed.
  const asSubscriber = async (token: string) =>
    request.get("/api/notifications", { headers: { Authorization: `Bearer ${token}`, Origin: HOST } });
  const oldToken = await subscriberToken(firstKid, firstSecret, "u_42");
  const inbox = await asSubscriber(oldToken);
  expect(inbox.status()).toBe(200);
  expect(inbox.headers()["access-control-allow-origin"]).toBe(HOST);
  expect((await inbox.json()).items.map((n: { title: string }) => n.title)).toEqual(["Order shipped"]);
  await page.reload();
  await expect(page.getByTestId("subscriber-count")).toHaveText("1 subscriber");

  // Origins edited: a page elsewhere is refused from now on.
  const details = page.getByRole("region", { name: "Details" });
  await details.getByLabel("Allowed origins").fill("https://shop.example");
  await details.getByRole("button", { name: "Save" }).click();
  await expect(details.getByRole("status")).toHaveText("Saved");
  await expect.poll(async () => (await asSubscriber(oldToken)).status()).toBe(403);
  await details.getByLabel("Allowed origins").fill(`https://shop.example\n${HOST}`);
  await details.getByRole("button", { name: "Save" }).click();
  await expect(details.getByRole("status")).toHaveText("Saved");
  await expect.poll(async () => (await asSubscriber(oldToken)).status()).toBe(200);

  // Rotation: a second key, then the first deleted; only the new key's tokens work.
  const signingKeys = page.getByRole("region", { name: "Signing keys" });
  await signingKeys.getByRole("button", { name: "Add a signing key" }).click();
  const secondSecret = (await signingKeys.getByLabel("New signing key secret").textContent())?.trim() ?? "";
  const keys = page.getByRole("list", { name: "Signing keys" }).getByRole("listitem");
  await expect(keys).toHaveCount(2);
  const secondKid = (await keys.nth(1).getAttribute("aria-label"))!;
  expect(secondKid).not.toBe(firstKid);
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Delete ${firstKid}` }).click();
  await expect(keys).toHaveCount(1);
  expect((await asSubscriber(oldToken)).status()).toBe(401);
  expect((await asSubscriber(await subscriberToken(secondKid, secondSecret, "u_42"))).status()).toBe(200);

  // Deleted: the app's subscribers and tokens with it.
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(page).toHaveURL(/\/settings\/apps$/);
  await expect(page.getByRole("main")).not.toContainText(name);
  const after = await request.post("/api/v1/notifications", { headers: { Authorization: `Bearer ${appToken}` }, data: { to: "u_42", title: "x" } });
  expect(after.status()).toBe(401);
});

test("members have no Apps link, and /settings/apps is not found for them", async ({ browser }) => {
  const bo = await Person.create(browser, "Bo");
  await bo.page.goto("/settings/notifications");
  await expect(bo.page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API tokens" })).toBeVisible();
  await expect(bo.page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Apps" })).toHaveCount(0);
  const res = await bo.page.goto("/settings/apps");
  expect(res?.status()).toBe(404);
});
