import { describe, expect, it } from "vitest";
import { MESSAGE_TITLE_SUFFIX, messageNotificationFields, roomOf, roomPath } from "@/lib/notifications/kinds/message";

const ROOM = "0b9a4c1e-0000-4000-8000-00000000000a";

describe("the message notification kind", () => {
  const n = messageNotificationFields({ roomId: ROOM, body: "  Hi   Alice,\n\nlunch?  " });

  it("is a message notification linking to the room, titled after the sender", () => {
    expect(n).toMatchObject({ category: "message", subjectType: "message", actionLabel: "Reply" });
    expect(`Bob Chen${MESSAGE_TITLE_SUFFIX}`).toBe("Bob Chen sent you a message");
    expect(n.body).toBe("Hi Alice, lunch?");
    expect(n.actionUrl).toBe(roomPath(ROOM));
  });

  it("previews a long message on one line", () => {
    const long = messageNotificationFields({ roomId: ROOM, body: "y".repeat(5000) });
    expect(long.body.length).toBe(140);
    expect(long.body.endsWith("…")).toBe(true);
  });

  it("tells which room a notification is about", () => {
    expect(roomOf(n)).toBe(ROOM);
    expect(roomOf({ ...n, category: "report" })).toBeNull();
    expect(roomOf({ category: "message", metadata: {} })).toBeNull();
    expect(roomOf({ category: "message", metadata: { roomId: 42 } })).toBeNull();
    expect(roomOf({ category: "message", metadata: null })).toBeNull();
  });
});
