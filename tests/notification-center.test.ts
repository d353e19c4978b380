import { QueryClient } from "@tanstack/react-query";
import { afterAll, describe, expect, it } from "vitest";
import { notificationKeys, type ListFilters, type NotificationPage } from "@/sdk/client/src/api";
import { addNotification, applyAction, getCounts, matchesFilters, replaceNotification, setCounts } from "@/sdk/client/src/cache";
import { expiryText, relativeTime } from "@/components/notifications/format";
import { safeActionTarget } from "@/components/notifications/safe-url";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { closeTestSql, testSql } from "./support/db";
import { snapshot } from "./support/api";
import { Client, createAdminUser, createTestUser } from "./support/users";

afterAll(closeTestSql);

const dto = (id: number, extra: Partial<NotificationDTO> = {}): NotificationDTO => ({
  id: String(id),
  category: "general",
  priority: "normal",
  title: `n${id}`,
  body: "",
  actionUrl: null,
  actionLabel: null,
  actor: null,
  via: null,
  subject: null,
  metadata: {},
  createdAt: new Date().toISOString(),
  readAt: null,
  archivedAt: null,
  expiresAt: null,
  seenAt: null,
  snoozedUntil: null,
  clickedAt: null,
  group: null,
  ...extra,
});

function cached(client: QueryClient, filters: ListFilters, pages: { ids: number[]; next: string | null }[]) {
  client.setQueryData(notificationKeys.list(filters), {
    pageParams: pages.map((_, i) => (i === 0 ? null : `c${i}`)),
    pages: pages.map((p): NotificationPage => ({ items: p.ids.map((id) => dto(id)), nextCursor: p.next, unreadCount: 0, unseenCount: 0 })),
  });
}
const ids = (client: QueryClient, filters: ListFilters) =>
  client.getQueryData<{ pages: NotificationPage[] }>(notificationKeys.list(filters))!.pages.flatMap((p) => p.items.map((i) => Number(i.id)));

describe("the browser's notification cache", () => {
  it("puts live notifications in every list they match, in id order, never twice", () => {
    const client = new QueryClient();
    cached(client, { status: "all" }, [{ ids: [10, 8], next: null }]);
    cached(client, { status: "unread", category: "task" }, [{ ids: [], next: null }]);
    cached(client, { status: "archived" }, [{ ids: [], next: null }]);
    addNotification(client, dto(12, { category: "task" }));
    addNotification(client, dto(9));
    addNotification(client, dto(12, { category: "task" }));
    expect(ids(client, { status: "all" })).toEqual([12, 10, 9, 8]);
    expect(ids(client, { status: "unread", category: "task" })).toEqual([12]);
    expect(ids(client, { status: "archived" })).toEqual([]);
  });

  it("leaves older-than-loaded items to pagination, and moves changed items between lists", () => {
    const client = new QueryClient();
    cached(client, { status: "all" }, [{ ids: [20, 19], next: "more" }]);
    cached(client, { status: "archived" }, [{ ids: [], next: null }]);
    addNotification(client, dto(5));
    expect(ids(client, { status: "all" })).toEqual([20, 19]);
    replaceNotification(client, dto(19, { archivedAt: new Date().toISOString() }));
    expect(ids(client, { status: "all" })).toEqual([20]);
    expect(ids(client, { status: "archived" })).toEqual([19]);
  });

  it("moves the unread count by what an optimistic action is known to change", () => {
    const client = new QueryClient();
    cached(client, { status: "all" }, [{ ids: [3, 2, 1], next: null }]);
    setCounts(client, { unreadCount: 7, unseenCount: 7 });
    applyAction(client, ["3", "2", "999"], "read");
    expect(getCounts(client).unreadCount).toBe(5);
    applyAction(client, ["3"], "read"); // already read: no change
    expect(getCounts(client).unreadCount).toBe(5);
    applyAction(client, ["1"], "archive");
    expect(getCounts(client).unreadCount).toBe(4);
    expect(ids(client, { status: "all" })).toEqual([3, 2]);
  });

  it("matches filters like the API: status, category, priority, text, expiry", () => {
    const n = dto(1, { title: "Quarterly Report", category: "report", priority: "high" });
    expect(matchesFilters({ status: "all", q: "quarterly" }, n)).toBe(true);
    expect(matchesFilters({ status: "read" }, n)).toBe(false);
    expect(matchesFilters({ status: "unread", priority: "urgent" }, n)).toBe(false);
    expect(matchesFilters({ status: "all" }, { ...n, expiresAt: new Date(Date.now() - 1000).toISOString() })).toBe(false);
    // A search covers archived rows; whether the text matches is the server's to say.
    expect(matchesFilters({ status: "all", q: "anything" }, { ...n, archivedAt: n.createdAt })).toBe(true);
    expect(matchesFilters({ status: "unread", q: "quarterly" }, { ...n, readAt: n.createdAt })).toBe(false);
  });

  it("leaves a ranked search list to the server: a live add is not placed by id, a change keeps its highlight", () => {
    const client = new QueryClient();
    const filters: ListFilters = { status: "all", q: "report" };
    const highlight = { title: [{ text: "Report", match: true }], body: [] };
    client.setQueryData(notificationKeys.list(filters), {
      pageParams: [null],
      pages: [{ items: [dto(2, { title: "Report", highlight })], nextCursor: null, unreadCount: 1, unseenCount: 1 }],
    });
    addNotification(client, dto(9, { title: "Report two" }));
    const list = () => client.getQueryData<{ pages: NotificationPage[] }>(notificationKeys.list(filters))!.pages[0].items;
    expect(list().map((i) => i.id)).toEqual(["2"]);
    replaceNotification(client, dto(2, { title: "Report", readAt: new Date().toISOString() }));
    expect(list()[0]).toMatchObject({ readAt: expect.any(String), highlight });
  });
});

describe("formatting and URL safety", () => {
  it("refuses action URLs that are not same-origin paths or http(s)", () => {
    const origin = "https://herald.example";
    expect(safeActionTarget("/chat/1", origin)).toEqual({ kind: "internal", path: "/chat/1" });
    expect(safeActionTarget("https://herald.example/x?y=1", origin)).toEqual({ kind: "internal", path: "/x?y=1" });
    expect(safeActionTarget("https://status.example.com/", origin)).toEqual({ kind: "external", href: "https://status.example.com/" });
    for (const bad of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "//evil.example", "/\\evil.example", "ftp://x", " javascript:1", null]) {
      expect(safeActionTarget(bad, origin), String(bad)).toBeNull();
    }
  });

  it("writes relative times and expiry countdowns", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    expect(relativeTime("2026-03-01T11:59:30Z", now)).toBe("just now");
    expect(relativeTime("2026-03-01T11:58:00Z", now)).toBe("2 min. ago");
    expect(expiryText("2026-03-01T12:04:05Z", now)).toBe("Expires in 4m 05s");
    expect(expiryText("2026-03-01T11:00:00Z", now)).toBe("Expired");
  });
});

describe("POST /api/notifications/test (demo)", () => {
  it("sends a burst in one transaction, to yourself or (as an admin) to another user by email, with expiry", async () => {
    const [me, other] = await Promise.all([createAdminUser("demoburst"), createTestUser("demorecipient")]);
    const client = await Client.signedIn(me);
    const burst = await client.json("/api/notifications/test", { body: { title: "Burst", count: 10, priority: "low" } });
    expect(burst.status).toBe(201);
    expect(burst.body.count).toBe(10);
    expect(burst.body.items[9].title).toBe("Burst (10/10)");
    const rows = await testSql()`select distinct created_at from notifications where user_id = ${me.id}`;
    expect(rows).toHaveLength(1); // one transaction: one now()

    const sent = await client.json("/api/notifications/test", {
      body: {
        title: "For you",
        recipientEmail: other.email.toUpperCase(),
        category: "task",
        priority: "urgent",
        actionUrl: "/notifications",
        actionLabel: "Open",
        expiresInSeconds: 120,
      },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ title: "For you", actor: { id: me.id }, actionLabel: "Open", category: "task" });
    const expires = Date.parse(sent.body.expiresAt) - Date.now();
    expect(expires).toBeGreaterThan(100_000);
    expect(expires).toBeLessThanOrEqual(120_000);
    const [row] = await testSql()`select user_id from notifications where id = ${sent.body.id}`;
    expect(row.user_id).toBe(other.id);

    for (const body of [
      { title: "x", count: 101 },
      { title: "x", count: 0 },
      { title: "x", actionLabel: "Open" },
      { title: "x", expiresAt: "2001-01-01T00:00:00Z" },
      { title: "x", expiresInSeconds: 60, expiresAt: "2999-01-01T00:00:00Z" },
      { title: "x", recipientEmail: "not an email" },
    ]) {
      expect((await client.json("/api/notifications/test", { body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await client.json("/api/notifications/test", { body: { title: "x", recipientEmail: "nobody-here@test.example" } })).status).toBe(404);
  });

  it("lets a member send only to themselves, saying the same whether or not the address exists", async () => {
    const [me, other] = await Promise.all([createTestUser("demomember"), createTestUser("demotarget")]);
    const client = await Client.signedIn(me);
    const before = await snapshot([me.id, other.id]);
    const send = (recipientEmail: string) => client.json("/api/notifications/test", { body: { title: "Hi", recipientEmail, count: 100 } });
    const [existing, missing] = [await send(other.email), await send("nobody-here@test.example")];
    expect(existing.status).toBe(403);
    expect(existing.body.error.code).toBe("recipient_not_allowed");
    expect(missing.body).toEqual(existing.body);
    expect(await snapshot([me.id, other.id])).toEqual(before);
    // Their own address, in any case, is themselves.
    expect((await send(me.email.toUpperCase())).status).toBe(201);
  });
});
