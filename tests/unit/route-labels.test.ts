import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { APP_ROUTES, UNMATCHED, methodLabel, routeLabel } from "@/lib/http/route-label.mjs";

/** Every page and route handler under app/, as its URL pattern (route groups dropped). */
function appRoutes(dir = path.join(import.meta.dirname, "../../app"), prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const segment = /^\(.*\)$/.test(entry.name) ? [] : [entry.name];
      out.push(...appRoutes(path.join(dir, entry.name), [...prefix, ...segment]));
    } else if (/^(page\.tsx|route\.ts)$/.test(entry.name)) out.push(`/${prefix.join("/")}`);
  }
  return out;
}

describe("route labels of logs and metrics", () => {
  it("list exactly the routes under app/", () => {
    expect([...APP_ROUTES].sort()).toEqual([...new Set(appRoutes())].sort());
  });

  it("map paths to their route pattern, never to ids, tokens or query strings", () => {
    const cases: [string, string][] = [
      ["/", "/"],
      ["/?tab=unread", "/"],
      ["/api/notifications", "/api/notifications"],
      ["/api/notifications?status=unread&q=secret", "/api/notifications"],
      ["/api/notifications/123", "/api/notifications/[id]"],
      ["/api/notifications/123/read", "/api/notifications/[id]/read"],
      ["/api/notifications/read-all", "/api/notifications/read-all"],
      ["/api/notifications/stream?lastEventId=4.abc", "/api/notifications/stream"],
      ["/api/rooms/8f7a1c2e-0000-4000-8000-000000000000/messages", "/api/rooms/[roomId]/messages"],
      ["/api/email/unsubscribe/abc.def", "/api/email/unsubscribe/[token]"],
      ["/api/auth/callback/credentials", "/api/auth/[...nextauth]"],
      ["/api/v1/notifications/42", "/api/v1/notifications/[id]"],
      ["/api/v1/subscribers/ada%40shop.example", "/api/v1/subscribers/[externalId]"],
      ["/api/v1/subscribers/bulk", "/api/v1/subscribers/bulk"],
      ["/api/apps/8f7a1c2e/signing-keys/key_abc", "/api/apps/[id]/signing-keys/[kid]"],
      ["/api/nothing/here", "/api/[...path]"],
      ["/api/metrics", "/api/metrics"],
      ["/api/health/", "/api/health"],
      ["/chat/8f7a1c2e", "/chat/[roomId]"],
      ["/unsubscribe/abc.def", "/unsubscribe/[token]"],
      ["/_next/static/chunks/app.js", "/_next/[...path]"],
      ["/sw.js", "/sw.js"],
      ["/favicon.ico", UNMATCHED],
      ["/no/such/page/alice@example.com", UNMATCHED],
    ];
    for (const [url, label] of cases) expect(routeLabel(url), url).toBe(label);
  });

  it("keep methods to a bounded set", () => {
    expect(methodLabel("GET")).toBe("GET");
    expect(methodLabel("TRACE")).toBe("other");
    expect(methodLabel("X".repeat(100))).toBe("other");
    expect(methodLabel(undefined)).toBe("other");
  });
});
