import { describe, expect, it } from "vitest";
import { messageNotification, roomOf, roomPath } from "@/lib/notifications/kinds/message";

const ROOM = "0b9a4c1e-0000-4000-8000-00000000000a";

describe("the message notification kind", () => {
  const n = messageNotification({
    roomId: ROOM,
    sender: { id: "sender-id", name: "Bob Chen" },
    recipientId: "recipient-id",
    message: { id: 17, body: "  Hi   Alice,\n\nlunch?  " },
  });

  it("is addressed to the recipient, from the sender, about the message", () => {
    expect(n).toMatchObject({ userId: "recipient-id", actorId: "sender-id", category: "message", subjectType: "message", subjectId: "17" });
    expect(n.title).toBe("Bob Chen sent you a message");
    expect(n.body).toBe("Hi Alice, lunch?");
    expect(n.actionUrl).toBe(roomPath(ROOM));
  });

  it("previews a long message on one line", () => {
    const long = messageNotification({ roomId: ROOM, sender: { id: "s", name: "S" }, recipientId: "r", message: { id: 1, body: "y".repeat(5000) } });
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
