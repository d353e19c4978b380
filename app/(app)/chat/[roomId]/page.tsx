import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RoomView } from "@/components/chat/room-view";
import { requireUser } from "@/lib/auth/session";
import { getRoomView } from "@/lib/chat/service";
import { AppError } from "@/lib/errors";
import { roomIdSchema } from "@/lib/validations/chat";

export const metadata: Metadata = { title: "Conversation" };

export default async function RoomPage({ params }: { params: Promise<{ roomId: string }> }) {
  const user = await requireUser();
  const roomId = roomIdSchema.safeParse((await params).roomId);
  if (!roomId.success) notFound();
  const view = await getRoomView({ userId: user.id, roomId: roomId.data }).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 404) notFound();
    throw err;
  });
  return <RoomView key={view.roomId} roomId={view.roomId} me={user.id} other={view.other} messages={view.messages} />;
}
