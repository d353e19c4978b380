import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without types
import { buildElement } from "../../sdk/element/build.mjs";

const dir = mkdtempSync(path.join(tmpdir(), "herald-element-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("herald.js, everything included, is at most 50 KB gzipped and loads nothing else", { timeout: 60_000 }, async () => {
  const out = path.join(dir, "herald.js");
  const { gzipped } = (await buildElement(out)) as { bytes: number; gzipped: number };
  expect(gzipped).toBeLessThanOrEqual(50 * 1024);
  const code = readFileSync(out, "utf8");
  // No font, stylesheet or module fetched from anywhere: no @font-face, no url() to a server, no import.
  expect(code).not.toMatch(/@font-face|url\(\s*["']?https?:|@import\s+url|\bimport\s*\(\s*["'`]https?:/);
  // Its CSS lives in the shadow root only: no stylesheet is inserted into the page.
  expect(code).not.toMatch(/createElement\(\s*["']link["']|adoptedStyleSheets|__insertCSS/);
});
