// A request's route as logs and metrics name it: the path without its query, with every segment
// that identifies something (ids, uuids, tokens, a room, an unsubscribe link) replaced by a
// placeholder, so a label never holds a user's data and there are few of them.

const ID = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const OPAQUE = /^[A-Za-z0-9_-]{20,}$|[.=~%]/;
// After these segments comes a value, whatever it looks like.
const VALUE_AFTER = new Set(["unsubscribe", "rooms", "chat", "tokens", "subscriptions", "notifications"]);
const MAX_SEGMENTS = 8;
// Fixed words that follow those segments (so /api/notifications/read-all stays itself).
const KNOWN = new Set([
  "read-all", "archive-all", "seen", "batch", "unread-count", "stream", "test", "messages", "read", "click",
  "vapid-public-key", "subscriptions",
]);

export function routeLabel(url) {
  const path = (url ?? "/").split(/[?#]/, 1)[0];
  if (path.startsWith("/_next/")) return "/_next/*";
  const segments = path.split("/").filter(Boolean).slice(0, MAX_SEGMENTS);
  const out = segments.map((segment, i) => {
    if (ID.test(segment)) return ":id";
    if (OPAQUE.test(segment)) return ":value";
    const before = segments[i - 1];
    if (before && VALUE_AFTER.has(before) && !KNOWN.has(segment)) return ":id";
    return segment.length > 40 ? ":value" : segment;
  });
  return `/${out.join("/")}`;
}
