import { upToEndpoint } from "@/lib/http/up-to-endpoint";
import { markAllRead } from "@/lib/notifications/service";

/** `{upTo?: id, groupKey?: string}` -> `{updated, ids, unreadCount, unseenCount}`. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = upToEndpoint((userId, { upTo, groupKey }) => markAllRead(userId, upTo, groupKey));
