import { addRequestHook } from "./request-hooks.mjs";

/**
 * Next answers 500 before any page code runs when a dynamic segment's percent-encoding is
 * malformed (`/verify/%E0%A4%A`, `/verify/%ZZ`). An emailed link's path that does not decode is
 * just a bad link: it is sent on as `/verify/invalid`, which the page shows as not valid.
 */
const PREFIXES = ["/verify/"];

function decodes(path: string) {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function installLinkPaths() {
  addRequestHook("link-paths", (req) => {
    const url = req.url ?? "";
    const prefix = PREFIXES.find((p) => url.startsWith(p));
    if (prefix && !decodes(url.split("?")[0])) req.url = `${prefix}invalid`;
    return false;
  });
}
