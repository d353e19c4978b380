import { describe, expect, it } from "vitest";
import { BASE_URL } from "./support/env";

// Links are typed, cut short and mangled by mail clients: a broken percent-encoding is a broken
// link like any other, never a server error.
const MANGLED = ["%E0%A4%A", "%ZZ", "a%2", "%", "abc.%C0%AF"];

describe("an unsubscribe link whose percent-encoding is broken", () => {
  for (const token of MANGLED) {
    it(`${token}: the page says the link is not valid`, async () => {
      const res = await fetch(`${BASE_URL()}/unsubscribe/${token}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("Link not valid");
    });

    it(`${token}: GET of the List-Unsubscribe URL leads to that page, POST is a 400`, async () => {
      const get = await fetch(`${BASE_URL()}/api/email/unsubscribe/${token}`, { redirect: "manual" });
      expect(get.status).toBe(303);
      const page = await fetch(new URL(get.headers.get("location")!, BASE_URL()));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Link not valid");

      const post = await fetch(`${BASE_URL()}/api/email/unsubscribe/${token}`, { method: "POST", body: "List-Unsubscribe=One-Click" });
      expect(post.status).toBe(400);
      expect((await post.json()).error.code).toBe("bad_request");
    });
  }
});
