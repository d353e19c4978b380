import { type Page } from "@playwright/test";
import { expect, Person, test } from "./support";

const CHARTS = ["per-minute", "latency", "streams", "queue", "channels"];

/** A series' figure in a chart's legend (0 while the series has no data yet). */
async function legendValue(page: Page, chart: string, series: string) {
  const item = page.getByTestId(`chart-${chart}`).locator(`li[data-series="${series}"]`);
  if ((await item.count()) === 0) return 0;
  const text = (await item.getByTestId("series-value").textContent()) ?? "";
  return /^[\d,.]+$/.test(text) ? Number(text.replace(/,/g, "")) : 0;
}

async function sentIn(page: Page, category: string) {
  const cell = page.locator(`tr[data-category="${category}"]`).getByTestId("engagement-sent");
  return (await cell.count()) === 0 ? 0 : Number(((await cell.textContent()) ?? "0").replace(/,/g, ""));
}

async function engagementOf(page: Page, category: string, what: "read" | "clicked") {
  const row = page.locator(`tr[data-category="${category}"]`);
  return (await row.count()) === 0 ? 0 : Number(await row.getAttribute(`data-${what}`));
}

test("the admin dashboard shows every instance and charts what happens, as it happens", async ({ browser }) => {
  const admin = await Person.admin(browser, "Ada");
  const page = admin.page;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Operations" })).toBeVisible();

  // This instance, healthy, with at least this page's stream open.
  const healthy = page.locator("tr[data-instance]").filter({ has: page.getByTestId("instance-status").filter({ hasText: /^ok$/ }) });
  await expect(healthy.first()).toBeVisible();
  await expect.poll(async () => Number(await healthy.first().getByTestId("instance-streams").textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  for (const id of CHARTS) await expect(page.getByTestId(`chart-${id}`).locator("canvas").first()).toBeVisible();
  await expect(page.getByRole("img", { name: /^Notifications per minute\./ })).toBeVisible();

  // Three reports sent to herself arrive in the per-minute chart and the engagement table by the next refresh.
  const [chartBefore, sentBefore] = [await legendValue(page, "per-minute", "Reports"), await sentIn(page, "report")];
  await admin.sendTest({ title: "Quarterly numbers", category: "report", actionUrl: "/notifications", actionLabel: "Open", count: 3 });
  await expect.poll(() => legendValue(page, "per-minute", "Reports"), { timeout: 15_000 }).toBeGreaterThanOrEqual(chartBefore + 3);
  await expect.poll(() => sentIn(page, "report"), { timeout: 15_000 }).toBeGreaterThanOrEqual(sentBefore + 3);
  // They were delivered live to this page: the latency chart has a figure.
  await expect(page.getByTestId("chart-latency").locator('li[data-series="p50"]').getByTestId("series-value")).toHaveText(/ms|s$/, { timeout: 15_000 });
  await expect(page.getByRole("meter", { name: /^Reports: read$/ })).toBeVisible();

  // Opening one's action in the inbox counts as read and clicked in the engagement table.
  const [readBefore, clickedBefore] = [await engagementOf(page, "report", "read"), await engagementOf(page, "report", "clicked")];
  await page.goto("/notifications");
  await admin.items("Inbox").filter({ hasText: "Quarterly numbers" }).first().getByRole("button", { name: "Open", exact: true }).click();
  await page.goto("/admin");
  await expect.poll(() => engagementOf(page, "report", "clicked"), { timeout: 15_000 }).toBeGreaterThanOrEqual(clickedBefore + 1);
  expect(await engagementOf(page, "report", "read")).toBeGreaterThanOrEqual(readBefore + 1);
});

test("members have no admin link, and /admin is not found for them", async ({ browser }) => {
  const member = await Person.create(browser, "Mel");
  await expect(member.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" })).toBeVisible();
  await expect(member.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  const res = await member.page.goto("/admin");
  expect(res?.status()).toBe(404);
  await expect(member.page.getByRole("heading", { name: "Operations" })).toHaveCount(0);
});
