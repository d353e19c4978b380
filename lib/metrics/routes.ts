/**
 * The route label of a request path: the Next.js route pattern it is served by
 * (`/api/notifications/[id]`), never the path itself, so ids, tokens and query strings never
 * become labels and the set of labels stays bounded. Every page and route handler under app/ is
 * listed (tests/unit/metrics-routes.test.ts checks the list against the files).
 */
export const APP_ROUTES = [
  "/",
  "/api/[...path]",
  "/api/auth/[...nextauth]",
  "/api/email/unsubscribe/[token]",
  "/api/health",
  "/api/metrics",
  "/api/notifications",
  "/api/notifications/[id]",
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
  "/chat",
  "/chat/[roomId]",
  "/demo",
  "/dev/mail",
  "/dev/mail/[id]",
  "/notifications",
  "/settings",
  "/settings/account",
  "/settings/notifications",
  "/settings/tokens",
  "/signin",
  "/signup",
  "/unsubscribe/[token]",
] as const;

/** Served outside app/'s routes: Next's own assets, the icon, the service worker. */
const OTHER_ROUTES = ["/_next/[...path]", "/icon.svg", "/sw.js"];

/** Any path no route serves (a 404 page): one label for all of them. */
export const UNMATCHED = "unmatched";

type Pattern = { label: string; parts: string[]; rank: number[] };

const kind = (part: string) => (part.startsWith("[...") ? 2 : part.startsWith("[") ? 1 : 0);

// Static segments beat dynamic ones beat catch-alls, segment by segment (as Next resolves them).
const PATTERNS: Pattern[] = [...APP_ROUTES, ...OTHER_ROUTES]
  .map((label) => {
    const parts = label.split("/").filter(Boolean);
    return { label, parts, rank: parts.map(kind) };
  })
  .sort((a, b) => {
    for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) if (a.rank[i] !== b.rank[i]) return a.rank[i] - b.rank[i];
    return a.rank.length - b.rank.length;
  });

function matches(p: Pattern, segments: string[]) {
  for (let i = 0; i < p.parts.length; i++) {
    const part = p.parts[i];
    if (kind(part) === 2) return segments.length > i;
    if (i >= segments.length) return false;
    if (kind(part) === 0 && part !== segments[i]) return false;
  }
  return segments.length === p.parts.length;
}

/** `url` as a request line has it (path and maybe a query). */
export function routeLabel(url: string): string {
  const q = url.search(/[?#]/);
  const path = q < 0 ? url : url.slice(0, q);
  const segments = path.split("/").filter(Boolean);
  for (const p of PATTERNS) if (matches(p, segments)) return p.label;
  return UNMATCHED;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** A method label: the usual ones, anything else (TRACE, PROPFIND…) as `other`. */
export const methodLabel = (method: string | undefined) => (method && METHODS.has(method) ? method : "other");
