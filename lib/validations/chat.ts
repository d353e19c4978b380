import { z } from "zod";
import { text } from "./text";

export const MESSAGE_MAX = 4000;

export const openRoomSchema = z.strictObject({
  participantEmail: z.email("must be an email address").max(320).transform((e) => e.toLowerCase()),
});

export const sendMessageSchema = z.strictObject({
  body: text().trim().min(1, "is required").max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`),
});

export const roomIdSchema = z.uuid("must be a room id");
