// A request's route as logs and metrics name it: the Next.js route pattern that serves it
// (`/api/notifications/[id]`), never the path itself, so ids, tokens, emails and query strings never
// reach a log line or a metric label, and the set of labels stays bounded. Plain JavaScript:
// server.mjs reads it before Next.js loads. Every page and route handler under app/ is listed
// (tests/unit/route-labels.test.ts checks the list against the files).

export const APP_ROUTES = [
  "/",
  "/admin",
  "/api/[...path]",
  "/api/admin/stats",
  "/api/apps",
  "/api/apps/[id]",
  "/api/apps/[id]/signing-keys",
  "/api/apps/[id]/signing-keys/[kid]",
  "/api/apps/[id]/webhooks",
  "/api/apps/[id]/webhooks/[wid]",
  "/api/apps/[id]/webhooks/[wid]/attempts",
  "/api/apps/[id]/webhooks/[wid]/events/[eventId]/replay",
  "/api/apps/[id]/webhooks/[wid]/rotate-secret",
  "/api/apps/[id]/webhooks/[wid]/test",
  "/api/auth/[...nextauth]",
  "/api/email/unsubscribe/[token]",
  "/api/health",
  "/api/metrics",
  "/api/notifications",
  "/api/notifications/[id]",
  "/api/notifications/[id]/click",
  "/api/notifications/[id]/read",
  "/api/notifications/archive-all",
  "/api/notifications/batch",
  "/api/notifications/read-all",
  "/api/notifications/seen",
  "/api/notifications/stream",
  "/api/notifications/test",
  "/api/notifications/unread-count",
  "/api/openapi.json",
  "/api/preferences",
  "/api/presence",
  "/api/push/subscriptions",
  "/api/push/subscriptions/[id]",
  "/api/push/vapid-public-key",
  "/api/rooms",
  "/api/rooms/[roomId]/messages",
  "/api/tokens",
  "/api/tokens/[id]",
  "/api/v1/notifications",
  "/api/v1/notifications/[id]",
  "/api/v1/subscribers/[externalId]",
  "/api/v1/subscribers/bulk",
  "/chat",
  "/chat/[roomId]",
  "/demo",
  "/dev/mail",
  "/dev/mail/[id]",
  "/embed/v1/herald.js",
  "/notifications",
  "/settings",
  "/settings/account",
  "/settings/apps",
  "/settings/apps/[id]",
  "/settings/notifications",
  "/settings/tokens",
  "/signin",
  "/signup",
  "/unsubscribe/[token]",
  "/verified",
  "/verify/[token]",
];

/** Served outside app/'s routes: Next's own assets, the icon, the service worker. */
const OTHER_ROUTES = ["/_next/[...path]", "/icon.svg", "/sw.js"];

/** Any path no route serves (a 404 page): one label for all of them. */
export const UNMATCHED = "unmatched";

const kind = (part) => (part.startsWith("[...") ? 2 : part.startsWith("[") ? 1 : 0);

// Static segments beat dynamic ones beat catch-alls, segment by segment (as Next resolves them).
const PATTERNS = [...APP_ROUTES, ...OTHER_ROUTES]
  .map((label) => {
    const parts = label.split("/").filter(Boolean);
    return { label, parts, rank: parts.map(kind) };
  })
  .sort((a, b) => {
    for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] - b.rank[i];
    return a.rank.length - b.rank.length;
  });

function matches(pattern, segments) {
  for (let i = 0; i < pattern.parts.length; i++) {
    const part = pattern.parts[i];
    if (kind(part) === 2) return segments.length > i;
    if (i >= segments.length) return false;
    if (kind(part) === 0 && part !== segments[i]) return false;
  }
  return segments.length === pattern.parts.length;
}

/** @param {string | undefined} url as the request line has it (a path and maybe a query) */
export function routeLabel(url) {
  const path = (url ?? "/").split(/[?#]/, 1)[0];
  const segments = path.split("/").filter(Boolean);
  for (const p of PATTERNS) if (matches(p, segments)) return p.label;
  return UNMATCHED;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** A method label: the usual ones, anything else (TRACE, PROPFIND…) as `other`. */
export const methodLabel = (method) => (method && METHODS.has(method) ? method : "other");
