import { afterAll, describe, expect, it } from "vitest";
import { bucketOf, rules } from "@/lib/rate-limit";
import { fillRateLimit, openRoom } from "./support/api";
import { closeTestSql, testSql } from "./support/db";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

const start = (client: Client, participantEmail: string) => client.json("/api/rooms", { body: { participantEmail } });
const roomsOf = async (userId: string) =>
  (await testSql()`select count(*)::int as n from rooms where user_a_id = ${userId} or user_b_id = ${userId}`)[0].n as number;

describe("who the chat shows", () => {
  it("lists only the people you share a room with, and nobody else's name or email", async () => {
    // "Aaa…" sorts first, so a list of everyone would show them.
    const [me, partner, stranger] = await Promise.all([createTestUser("chatme"), createTestUser("chatpartner"), createTestUser("aaastranger")]);
    const client = await Client.signedIn(me);
    await openRoom(client, partner.email);
    const page = await client.fetch("/chat");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(partner.name);
    expect(html).toContain(partner.email);
    expect(html).not.toContain(stranger.email);
    expect(html).not.toContain(stranger.name);
    const rooms = await client.json("/api/rooms");
    expect(rooms.body.items.map((r: { other: { id: string } }) => r.other.id)).toEqual([partner.id]);
  });
});

describe("starting a room by email", () => {
  it("answers the same for an address with an account and one without, creating a room only for the first", async () => {
    const [me, known] = await Promise.all([createTestUser("prober"), createTestUser("probed")]);
    const client = await Client.signedIn(me);
    const unknownEmail = `nobody-${me.id.slice(0, 8)}@test.example`;
    const [a, b] = [await start(client, known.email), await start(client, unknownEmail)];
    expect({ status: a.status, body: a.body }).toEqual({ status: 202, body: { participantEmail: known.email } });
    expect({ status: b.status, body: b.body }).toEqual({ status: 202, body: { participantEmail: unknownEmail } });
    expect(await roomsOf(me.id)).toBe(1);
    // Both counted against the hourly limit.
    const [{ n }] = await testSql()`select coalesce(sum(count), 0)::int as n from rate_limits where bucket = ${bucketOf(rules.roomsStarted(), me.id)}`;
    expect(n).toBe(2);
  });

  it("is limited per user per hour, whether or not the address exists; a room you share stays open", async () => {
    const [me, partner, later, other] = await Promise.all([createTestUser("roomlimit"), createTestUser("roompartner"), createTestUser("roomlater"), createTestUser("roomother")]);
    const client = await Client.signedIn(me);
    await openRoom(client, partner.email);
    const rule = rules.roomsStarted();
    expect(rule).toMatchObject({ limit: 20, windowSeconds: 3600 });
    await fillRateLimit(bucketOf(rule, me.id), rule.limit - 1, rule.windowSeconds);
    expect((await start(client, `nobody-${me.id.slice(0, 8)}@test.example`)).status).toBe(202);
    for (const email of [later.email, `nobody-else-${me.id.slice(0, 8)}@test.example`]) {
      const res = await start(client, email);
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe("rate_limited");
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(3600);
    }
    expect(await roomsOf(me.id)).toBe(1);
    // The room already shared is not a new one: it still opens, for both of them.
    expect(await openRoom(client, partner.email)).toBeTruthy();
    // Someone else's budget is their own.
    expect(await openRoom(await Client.signedIn(other), later.email)).toBeTruthy();
  });
});
