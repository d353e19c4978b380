import { expect, Person, test } from "./support";

// The chat lists only people you already talk to; anyone else is reached by typing their address.
test("starts a conversation by email, and says so plainly for bad or unknown input", async ({ browser }) => {
  const [gail, hugo] = [await Person.signUp(browser, "Gail"), await Person.signUp(browser, "Hugo")];
  const { page } = gail;
  await page.goto("/chat");
  await expect(page.getByRole("link", { name: `Message ${hugo.user.name}` })).toHaveCount(0);
  const email = page.getByRole("textbox", { name: "Email address" });
  const startButton = page.getByRole("button", { name: "Start conversation" });

  // The browser accepts it; the server does not (a TLD is required): a message, not an error page.
  await email.fill("someone@localhost");
  await startButton.click();
  await expect(page.getByRole("alert").filter({ hasText: "Enter an email address, like name@example.com." })).toBeVisible();

  await email.fill("nobody-here@e2e.example");
  await startButton.click();
  await expect(page.getByRole("status").filter({ hasText: "nobody-here@e2e.example" })).toBeVisible();
  await expect(page).toHaveURL(/\/chat$/);

  await email.fill(hugo.user.email.toUpperCase());
  await startButton.click();
  await expect(page.getByRole("heading", { name: hugo.user.name })).toBeVisible();
  await page.goto("/chat");
  await expect(page.getByRole("link", { name: `Message ${hugo.user.name}` })).toBeVisible();
});
