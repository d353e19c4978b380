import { describe, expect, it, vi } from "vitest";
import { renderDigestEmail, renderNotificationEmail, subjectLine, type EmailItem } from "@/lib/email/render";

const ctx = { recipientName: "Bob Chen", publicUrl: "https://herald.example", unsubscribeUrl: "https://herald.example/api/email/unsubscribe/tok.sig", timeZone: "UTC" };
const item = (over: Partial<EmailItem> = {}): EmailItem => ({
  id: 1,
  title: "Build failed",
  body: "main is red",
  category: "system",
  priority: "high",
  createdAt: new Date("2026-03-01T10:00:00Z"),
  actionUrl: "https://herald.example/builds/7",
  actionLabel: "View build",
  actorName: "CI",
  ...over,
});

describe("email rendering", () => {
  it("uses the title as the subject of a single notification, and one line of it", async () => {
    expect((await renderNotificationEmail([item()], ctx)).subject).toBe("Build failed");
    expect(subjectLine("a\r\nBcc: x@evil.example")).toBe("a Bcc: x@evil.example");
    expect(subjectLine("x".repeat(500))).toHaveLength(200);
  });

  it("escapes notification text in the HTML and keeps it literal in the text part", async () => {
    const hostile = "<img src=x onerror=alert(1)> & <b>bold</b>";
    const email = await renderNotificationEmail([item({ title: hostile, body: hostile })], ctx);
    expect(email.html).not.toContain("<img src=x");
    expect(email.html).not.toContain("<b>bold</b>");
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(email.text).toContain("<img src=x onerror=alert(1)> & <b>bold</b>");
  });

  it("links the action, the settings page and the unsubscribe URL", async () => {
    const email = await renderNotificationEmail([item()], ctx);
    expect(email.html).toContain('href="https://herald.example/builds/7"');
    expect(email.html).toContain("View build");
    expect(email.html).toContain('href="https://herald.example/settings/notifications"');
    expect(email.html).toContain('href="https://herald.example/api/email/unsubscribe/tok.sig"');
    const bare = await renderNotificationEmail([item({ actionUrl: null, actionLabel: null })], ctx);
    expect(bare.html).toContain('href="https://herald.example/notifications"');
  });

  it("groups several due at once and lists a digest newest first", async () => {
    const several = await renderNotificationEmail([item({ id: 1, title: "One" }), item({ id: 2, title: "Two" })], ctx);
    expect(several.subject).toBe("2 new notifications");
    const digest = await renderDigestEmail(
      [item({ id: 1, title: "Older", createdAt: new Date("2026-03-01T09:00:00Z") }), item({ id: 2, title: "Newer", createdAt: new Date("2026-03-01T09:30:00Z") })],
      { ...ctx, period: "hourly" },
    );
    expect(digest.subject).toBe("2 new notifications");
    expect(digest.text.indexOf("Newer")).toBeLessThan(digest.text.indexOf("Older"));
  });
});

describe("unsubscribe tokens", () => {
  it("verify what they were made for and nothing forged", async () => {
    vi.stubEnv("AUTH_SECRET", "a-test-secret-of-some-length");
    vi.stubEnv("DATABASE_URL", "postgres://x@127.0.0.1/x");
    const { unsubscribeToken, verifyUnsubscribeToken } = await import("@/lib/email/unsubscribe");
    const userId = "6f1d3c1e-8a2b-4c3d-9e4f-1a2b3c4d5e6f";
    const token = unsubscribeToken({ userId, scope: "message" });
    expect(verifyUnsubscribeToken(token)).toEqual({ userId, scope: "message" });
    const [payload, sig] = token.split(".");
    const other = Buffer.from(JSON.stringify({ u: userId, s: "all" })).toString("base64url");
    expect(verifyUnsubscribeToken(`${other}.${sig}`)).toBeNull();
    const flipped = `${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`;
    expect(verifyUnsubscribeToken(`${payload}.${flipped}`)).toBeNull();
    expect(verifyUnsubscribeToken("garbage")).toBeNull();
    vi.unstubAllEnvs();
  });
});
