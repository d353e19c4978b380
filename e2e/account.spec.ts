import { type Page } from "@playwright/test";
import { expect, Person, test } from "./support";

// Revoked sessions end within seconds; the other browser then finds out when its stream reconnects
// (a 401 sends it to sign-in), which takes one reconnect delay.
const SIGNED_OUT = { timeout: 30_000 };

async function openAccount(person: Person) {
  await person.page.goto("/settings/account");
  await expect(person.page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
}

async function signInForm(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("sign out everywhere ends the session of another browser", async ({ browser }) => {
  const here = await Person.signUp(browser, "Everywhere");
  const elsewhere = await Person.signIn(browser, here.user);
  await elsewhere.live();
  await openAccount(here);
  await expect(here.page.getByText("signed in on 2 browsers or devices")).toBeVisible();
  await here.page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(here.page).toHaveURL(/\/signin/);
  await expect(elsewhere.page).toHaveURL(/\/signin/, SIGNED_OUT);
  expect((await elsewhere.api("/api/notifications")).status).toBe(401);
});

test("changing the password signs other browsers out and keeps this one signed in", async ({ browser }) => {
  const here = await Person.signUp(browser, "Changer");
  const elsewhere = await Person.signIn(browser, here.user);
  await elsewhere.live();
  await openAccount(here);
  const form = here.page.getByRole("region", { name: "Change password" });
  await form.getByLabel("Current password").fill(here.user.password);
  await form.getByLabel("New password").fill("a-brand-new-password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText("Password changed. Other devices have been signed out.");
  await expect(elsewhere.page).toHaveURL(/\/signin/, SIGNED_OUT);

  // This browser has a fresh session: pages, the API and the stream all work.
  await here.page.reload();
  await expect(here.page).toHaveURL(/\/settings\/account$/);
  await here.live();
  expect((await here.api("/api/notifications")).status).toBe(200);
  await expect(here.page.getByText("signed in on 1 browser or device")).toBeVisible();

  await signInForm(elsewhere.page, here.user.email, here.user.password);
  await expect(elsewhere.page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
  await signInForm(elsewhere.page, here.user.email, "a-brand-new-password");
  await expect(elsewhere.page).toHaveURL(/\/chat$/);
});

test("a wrong current password changes nothing", async ({ browser }) => {
  const person = await Person.signUp(browser, "Careful");
  await openAccount(person);
  const form = person.page.getByRole("region", { name: "Change password" });
  await form.getByLabel("Current password").fill("not-my-password");
  await form.getByLabel("New password").fill("a-brand-new-password");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("alert")).toHaveText("That is not your current password");
  await person.page.reload();
  await person.live();
  expect((await person.api("/api/notifications")).status).toBe(200);
});

test("deleting the account signs out every browser, and the account is gone", async ({ browser }) => {
  const here = await Person.signUp(browser, "Leaver");
  const elsewhere = await Person.signIn(browser, here.user);
  await elsewhere.live();
  await openAccount(here);
  const section = here.page.getByRole("region", { name: "Delete account" });
  await section.getByLabel("Password to confirm").fill(here.user.password);
  await section.getByRole("button", { name: "Delete my account" }).click();
  await expect(here.page).toHaveURL(/\/signin/);
  await expect(elsewhere.page).toHaveURL(/\/signin/, SIGNED_OUT);
  expect((await elsewhere.api("/api/notifications")).status).toBe(401);
  await signInForm(here.page, here.user.email, here.user.password);
  await expect(here.page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
});

test("the sign-in form says when there were too many attempts, even for the right password", async ({ browser }) => {
  const person = await Person.signUp(browser, "Guessed");
  const attacker = await browser.newContext();
  for (let i = 0; i < 10; i++) {
    const { csrfToken } = await (await attacker.request.get("/api/auth/csrf")).json();
    await attacker.request.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: person.user.email, password: `guess-${i}` },
      maxRedirects: 0,
    });
  }
  const page = await (await browser.newContext()).newPage();
  await signInForm(page, person.user.email, person.user.password);
  await expect(page.locator("form").getByRole("alert")).toHaveText(/^Too many sign-in attempts; try again in \d+ minutes?\.$/);
  await expect(page).toHaveURL(/\/signin$/);
});
