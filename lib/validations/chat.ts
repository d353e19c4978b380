import { z } from "zod";
import { requiredText } from "./text";

export const MESSAGE_MAX = 4000;

export const openRoomSchema = z.strictObject({
  participantEmail: z.email("must be an email address").max(320).transform((e) => e.toLowerCase()),
});

export const sendMessageSchema = z.strictObject({
  body: requiredText(MESSAGE_MAX),
});

export const roomIdSchema = z.uuid("must be a room id");
