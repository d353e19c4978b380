import { afterAll, describe, expect, it } from "vitest";
import { closeTestSql, testSql } from "./support/db";
import { SseReader } from "./support/sse";
import { Client, createTestUser } from "./support/users";

afterAll(closeTestSql);

const insert = (userId: string, title: string) => testSql()`insert into notifications (user_id, title) values (${userId}, ${title})`;

describe("a page's resume cursor", () => {
  it("is rendered with the unread count from the same snapshot, and the first connect replays what came after", async () => {
    const user = await createTestUser("pagecursor");
    await insert(user.id, "Before the render 1");
    await insert(user.id, "Before the render 2");
    const client = await Client.signedIn(user);
    const html = await (await client.fetch("/chat")).text();
    expect(html).toContain("Notifications, 2 unread");
    // The cursor travels inside the page's serialised props (quotes may be escaped there).
    const cursor = /resumeCursor\\?"\s*:\s*\\?"([^"\\]+)/.exec(html)?.[1];
    expect(cursor, "a resume cursor in the page").toMatch(/^2\./);

    await insert(user.id, "Between the render and the connect");
    const stream = await SseReader.open(client, `?lastEventId=${encodeURIComponent(cursor!)}`);
    try {
      const created = stream.named("notification.created");
      expect(created.map((e) => e.data.title)).toEqual(["Between the render and the connect"]);
      expect(created[0].data.delivery.toast).toBe(true);
      expect(stream.named("notifications.count").map((e) => e.data.unreadCount)).toEqual([3]);
      expect(stream.named("sync.reset")).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it("is never another user's: a cursor rendered for one user is refused on another's stream", async () => {
    const [alice, bob] = await Promise.all([createTestUser("pagealice"), createTestUser("pagebob")]);
    await insert(alice.id, "Alice's");
    const html = await (await (await Client.signedIn(alice)).fetch("/chat")).text();
    const cursor = /resumeCursor\\?"\s*:\s*\\?"([^"\\]+)/.exec(html)?.[1];
    expect(cursor).toMatch(/^1\./);
    const stream = await SseReader.open(await Client.signedIn(bob), `?lastEventId=${encodeURIComponent(cursor!)}`);
    try {
      expect(stream.named("sync.reset").map((e) => e.data.reason)).toEqual(["invalid"]);
      expect(stream.named("notification.created")).toEqual([]);
    } finally {
      stream.close();
    }
  });
});
