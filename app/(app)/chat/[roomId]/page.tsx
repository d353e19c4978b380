import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { db } from "@/db";
import { listMessages } from "@/db/queries/messages";
import { getRoomForMember } from "@/db/queries/rooms";
import { getUserById } from "@/db/queries/users";
import { RoomView } from "@/components/chat/room-view";
import { requireUser } from "@/lib/auth/session";
import { toMessageDTO } from "@/lib/chat/service";
import { roomIdSchema } from "@/lib/validations/chat";

export const metadata: Metadata = { title: "Conversation" };

export default async function RoomPage({ params }: { params: Promise<{ roomId: string }> }) {
  const user = await requireUser();
  const roomId = roomIdSchema.safeParse((await params).roomId);
  if (!roomId.success) notFound();
  const room = await getRoomForMember(db, roomId.data, user.id);
  if (!room) notFound();
  const otherId = room.userAId === user.id ? room.userBId : room.userAId;
  const [other, messages] = await Promise.all([getUserById(db, otherId), listMessages(db, room.id)]);
  return (
    <RoomView
      key={room.id}
      roomId={room.id}
      me={user.id}
      other={{ id: otherId, name: other?.name ?? "Deleted user", email: other?.email ?? "" }}
      messages={messages.map(toMessageDTO)}
    />
  );
}
