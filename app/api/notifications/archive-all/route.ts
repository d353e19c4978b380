import { upToEndpoint } from "@/lib/http/up-to-endpoint";
import { archiveAll } from "@/lib/notifications/service";

/** `{upTo?: id, groupKey?: string}` -> `{updated, ids, unreadCount, unseenCount}`: "Clear all". */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = upToEndpoint((userId, { upTo, groupKey }) => archiveAll(userId, upTo, groupKey));
