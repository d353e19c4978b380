import { upToEndpoint } from "@/lib/http/up-to-endpoint";
import { markSeen } from "@/lib/notifications/service";
import { seenSchema } from "@/lib/validations/notifications";

/** `{upTo?: id}` -> `{updated, ids, unreadCount, unseenCount}`: what the bell or inbox showed is seen. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = upToEndpoint((userId, { upTo }) => markSeen(userId, upTo), seenSchema);
