import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BASE_URL } from "./support/env";

describe("GET /embed/v1/herald.js", () => {
  it("serves the built element to any origin, cached long and revalidated by ETag", async () => {
    const res = await fetch(`${BASE_URL()}/embed/v1/herald.js`, { headers: { Origin: "https://anyone.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toMatch(/public, max-age=86400/);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const body = await res.text();
    expect(body).toBe(readFileSync(path.resolve(__dirname, "..", "sdk", "element", "dist", "herald.js"), "utf8"));
    expect(body).toContain("herald-inbox");

    const again = await fetch(`${BASE_URL()}/embed/v1/herald.js`, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
  });

  it("answers other methods with a JSON 405", async () => {
    const res = await fetch(`${BASE_URL()}/embed/v1/herald.js`, { method: "POST" });
    expect(res.status).toBe(405);
    expect((await res.json()).error.code).toBe("method_not_allowed");
  });
});
