import { execSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";

// Playwright cannot download its own browsers here: Debian's chromium packages (apt-get install
// chromium chromium-headless-shell). `command -v` of the first of `names` found, or null.
function which(...names: string[]): string | null {
  try {
    return execSync(`command -v ${names.join(" || command -v ")}`, { shell: "/bin/sh" }).toString().trim().split("\n")[0] || null;
  } catch {
    return null;
  }
}

const chromium = process.env.CHROMIUM_PATH ?? which("chromium", "chromium-browser");
if (!chromium) throw new Error("Chromium not found: install it with `apt-get install chromium` or set CHROMIUM_PATH.");
// Headless shell: Chromium's old headless mode, what Playwright runs by default. It renders the same
// pages without the full browser's compositor and GPU process: the suite takes three quarters of the
// time (5.3 min against 7.0 on one worker). It cannot show system notifications, so the tests that
// need them (tagged @full-browser) run in full Chromium. Without the package, everything does.
const headlessShell = process.env.CHROMIUM_HEADLESS_SHELL_PATH ?? which("chromium-headless-shell") ?? chromium;
const args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export default defineConfig({
  testDir: "./e2e",
  // A budget, not a check: on a loaded 2-core machine a long test (browser-alerts) came within a second of 60 s.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // One in CI: two Chromiums beside the server and PostgreSQL on 2 cores made the suite slower
  // (9.2 min against about 8 for one) and timing-sensitive. Locally two, since tests are independent.
  workers: process.env.CI ? 1 : 2,
  // Never retried: a test that passes only on a second try is a bug in the product or the test.
  retries: 0,
  reporter: [["list"], ["json"]],
  use: {
    baseURL: process.env.HERALD_BASE_URL ?? "http://127.0.0.1:3100",
    // Tracing records every action's DOM and screenshots: a third of the suite's CPU. Off unless asked
    // for (HERALD_E2E_TRACE=1 npm run test:e2e); a failure still leaves its screenshot and error context.
    trace: process.env.HERALD_E2E_TRACE ? "retain-on-failure" : "off",
    screenshot: "only-on-failure",
  },
  outputDir: ".data/test-results/playwright",
  projects: [
    {
      name: "chromium",
      grepInvert: /@full-browser/,
      use: { ...devices["Desktop Chrome"], launchOptions: { executablePath: headlessShell, args } },
    },
    {
      name: "chromium-full",
      grep: /@full-browser/,
      use: { ...devices["Desktop Chrome"], launchOptions: { executablePath: chromium, args } },
    },
  ],
});
