/**
 * Where a notification's action URL may lead: a path on this site, or an http(s) URL elsewhere.
 * One function decides for both sides: the API refuses what it returns null for, and the browser
 * asks it again before following a link, because other programs write rows with plain SQL.
 * No DOM and no server-only imports: `URL` is the WHATWG parser in Node and in browsers alike.
 */
export type ActionTarget = { kind: "internal"; path: string } | { kind: "external"; href: string };

export const ACTION_URL_MAX = 2048;

export const ACTION_URL_RULE =
  "must be a path starting with / or an http(s) URL, without spaces, control characters, backslashes or user info";

// URL parsers drop tabs and newlines and read "\" as "/" ("/\t/evil.com" is "//evil.com"); invisible
// format characters and lone surrogates hide what a link says. No honest action URL holds them raw.
const FORBIDDEN = /[\s\p{Cc}\p{Cf}\p{Z}\p{Cs}\\]/u;
// "https:evil.com" and "https:///evil.com" are read as hosts by some parsers and not by others.
const ABSOLUTE = /^https?:\/\/[^/]/i;
// Paths are resolved against the caller's origin; the server has none, and any fixed one will do.
const PLACEHOLDER_ORIGIN = "https://herald.invalid";

/**
 * A path whose decoded form could be read as another host ("//evil.com", "/%2F%2Fevil.com" once a
 * server decodes it) or that hides control characters. Malformed escapes are refused too.
 */
function isSafePath(pathname: string): boolean {
  let current = pathname;
  for (let round = 0; round < 3; round++) {
    if (/^[/\\]{2}/.test(current) || /\p{Cc}/u.test(current)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (decoded === current) return true;
    current = decoded;
  }
  return false;
}

function internal(url: URL): ActionTarget {
  return { kind: "internal", path: `${url.pathname}${url.search}${url.hash}` };
}

/**
 * How long an action URL is once percent-encoded, as it is sent and followed ("€" is 9 bytes):
 * the limit applies to this, since a push payload and a link carry the encoded form. 0 when unparsable.
 */
export function encodedActionUrlBytes(raw: string): number {
  try {
    if (raw.startsWith("/")) {
      const url = new URL(raw, PLACEHOLDER_ORIGIN);
      return `${url.pathname}${url.search}${url.hash}`.length;
    }
    return new URL(raw).href.length;
  } catch {
    return 0;
  }
}

/**
 * The target of an action URL, or null when it must not be followed (nor stored). `origin` is the
 * page's own: an absolute URL on it becomes an internal path. Navigation uses `path` (pathname,
 * search and hash of the resolved URL) or `href` (the parser's normalised form), never the raw text.
 */
export function actionTarget(raw: unknown, origin?: string): ActionTarget | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > ACTION_URL_MAX || FORBIDDEN.test(raw)) return null;
  if (encodedActionUrlBytes(raw) > ACTION_URL_MAX) return null;
  if (raw.startsWith("/")) {
    const base = origin || PLACEHOLDER_ORIGIN;
    let url: URL;
    try {
      url = new URL(raw, base);
    } catch {
      return null;
    }
    return url.origin === new URL(base).origin && isSafePath(url.pathname) ? internal(url) : null;
  }
  if (!ABSOLUTE.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) return null;
  // "https://herald.example@evil.com" reads as this site to a person and leads elsewhere.
  if (url.username || url.password) return null;
  // Checked on every origin, so the server (which cannot tell which origin is its own) and the
  // browser agree; "https://this.site//evil.com" would otherwise become the path "//evil.com".
  if (!isSafePath(url.pathname)) return null;
  if (origin && url.origin === origin) return internal(url);
  return { kind: "external", href: url.href };
}
