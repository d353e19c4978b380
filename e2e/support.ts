import { randomUUID } from "node:crypto";
import { expect, type Browser, type Page } from "@playwright/test";

export type E2EUser = { name: string; email: string; password: string };

/** A page object for one signed-in person: each test signs up its own fresh users. */
export class Person {
  private constructor(
    readonly page: Page,
    readonly user: E2EUser,
  ) {}

  static async signUp(browser: Browser, first: string) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const user = { name: `${first} ${randomUUID().slice(0, 4)}`, email: `${first.toLowerCase()}-${randomUUID().slice(0, 8)}@e2e.example`, password: "e2e-password-123" };
    await page.goto("/signup");
    await page.getByLabel("Name").fill(user.name);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/chat$/);
    return new Person(page, user);
  }

  bell() {
    return this.page.getByRole("button", { name: /^Notifications/ });
  }

  async live() {
    await this.page.getByRole("button", { name: /^Notifications/ }).click();
    await expect(this.page.getByTestId("connection-status").first()).toContainText("Live");
    await this.page.keyboard.press("Escape");
  }

  async openRoomWith(other: Person) {
    await this.page.goto("/chat");
    await this.page.getByRole("button", { name: `Message ${other.user.name}` }).click();
    await expect(this.page.getByRole("heading", { name: other.user.name })).toBeVisible();
  }

  async send(text: string) {
    await this.page.getByRole("textbox", { name: "Message" }).fill(text);
    await this.page.keyboard.press("Enter");
    await expect(this.page.getByRole("list", { name: "Messages" }).getByText(text)).toBeVisible();
  }
}
