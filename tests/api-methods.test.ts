import http from "node:http";
import { describe, expect, it } from "vitest";
import { BASE_URL } from "./support/env";

/** fetch() refuses TRACE (a forbidden method), so these requests go through node:http. */
function raw(method: string, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${BASE_URL()}${path}`, { method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const concrete = (p: string) => p.replace("{id}", "1").replace("{roomId}", "00000000-0000-4000-8000-000000000000");

describe("methods Next.js cannot route", () => {
  it("TRACE on every documented path answers 405 JSON with the path's Allow", async () => {
    const doc = await (await fetch(`${BASE_URL()}/api/openapi.json`)).json();
    for (const p of Object.keys(doc.paths)) {
      const options = await fetch(`${BASE_URL()}${concrete(p)}`, { method: "OPTIONS" });
      const res = await raw("TRACE", concrete(p));
      expect(res.status, p).toBe(405);
      expect(res.headers["content-type"], p).toContain("application/json");
      expect(res.headers.allow, p).toBe(options.headers.get("allow"));
      expect(JSON.parse(res.body).error.code, p).toBe("method_not_allowed");
    }
  });

  it("answers other unroutable methods and other paths in JSON too", async () => {
    const propfind = await raw("PROPFIND", "/api/tokens");
    expect(propfind.status).toBe(405);
    expect(propfind.headers.allow).toBe("GET, HEAD, OPTIONS, POST");
    const page = await raw("TRACE", "/settings");
    expect(page.status).toBe(405);
    expect(page.headers.allow).toBe("GET, HEAD, POST");
    expect(JSON.parse(page.body).error.code).toBe("method_not_allowed");
    const unknown = await raw("TRACE", "/api/nothing-here");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe("not_found");
  });
});
