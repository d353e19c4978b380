// The README's pictures of the element inside the example host, light and dark. With `npm run
// example` running: `npx tsx examples/host-app/screenshots.ts` (EXAMPLE_PORT if not 4100).
import { execSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

const HOST = `http://localhost:${process.env.EXAMPLE_PORT ?? 4100}`;
const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/screenshots");
const executablePath = process.env.CHROMIUM_PATH ?? execSync("command -v chromium", { shell: "/bin/sh" }).toString().trim();

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
// The host app re-reads its page on every request: restart it (npm run example) after editing app.ts.
for (const theme of ["light", "dark"] as const) {
  const page = await browser.newPage({ viewport: { width: 900, height: 640 }, colorScheme: theme });
  await page.goto(`${HOST}/?theme=${theme}`);
  await page.getByRole("button", { name: "Continue as Ada" }).click();
  if (theme === "light") for (let i = 0; i < 2; i++) await page.getByRole("button", { name: "Send me a notification" }).click();
  if (theme === "light") await page.locator("herald-inbox").getByTestId("unread-badge").waitFor();
  await page.locator("herald-inbox").getByRole("button", { name: /^Notifications/ }).click();
  await page.locator("herald-inbox").getByRole("listitem").first().waitFor();
  await page.waitForTimeout(400); // the dropdown's fade-in
  await page.screenshot({ path: path.join(OUT, `embed-${theme}.png`) });
  await page.close();
}
await browser.close();
