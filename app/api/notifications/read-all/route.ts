import { upToEndpoint } from "@/lib/http/up-to-endpoint";
import { markAllRead } from "@/lib/notifications/service";

/** `{upTo?: id}` -> `{updated, ids, unreadCount}`. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = upToEndpoint(markAllRead);
