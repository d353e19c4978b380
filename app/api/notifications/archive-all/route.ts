import { upToEndpoint } from "@/lib/http/up-to-endpoint";
import { archiveAll } from "@/lib/notifications/service";

/** `{upTo?: id}` -> `{updated, ids, unreadCount}`: "Clear all". */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = upToEndpoint(archiveAll);
