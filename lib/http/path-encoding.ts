import "server-only";
import { addRequestHook } from "./request-hooks.mjs";

const decodes = (segment: string) => {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
};

/**
 * The request target with each path segment whose percent-encoding is broken (`%ZZ`, `a%2`, bytes
 * that are not UTF-8) escaped so that it decodes to itself; null when nothing is broken. Next.js
 * answers a bare 500 for such a path before any page or route runs; escaped, the page sees the text
 * as it was typed and says what it says of any wrong link.
 */
export function repairedTarget(target: string): string | null {
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  if (!path.includes("%")) return null;
  const segments = path.split("/");
  let broken = false;
  for (let i = 0; i < segments.length; i++) {
    if (!segments[i].includes("%") || decodes(segments[i])) continue;
    segments[i] = segments[i].replace(/%/g, "%25");
    broken = true;
  }
  return broken ? segments.join("/") + (q < 0 ? "" : target.slice(q)) : null;
}

/** Mail clients and people cut links short: a mangled path is a wrong link (a 404 or the page's own answer), never a 500. */
export function installPathRepair() {
  addRequestHook("path-encoding", (req) => {
    const repaired = req.url ? repairedTarget(req.url) : null;
    if (repaired) req.url = repaired;
    return false;
  });
}
