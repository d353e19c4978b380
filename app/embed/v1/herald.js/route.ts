import { elementScript } from "@/lib/embed/script";
import { AppError } from "@/lib/errors";
import { endpoint } from "@/lib/http/endpoint";
import { errorResponse, guarded } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

/**
 * Public: the embeddable inbox, one ES module any page loads cross-origin (`*`: it holds no data;
 * what it may then read is up to the app's allowed origins). Cached for a day, then revalidated
 * by ETag, so a deploy reaches every host page within a day and costs a 304 otherwise.
 */
async function script(request: Request) {
  const found = await elementScript();
  if (!found) return errorResponse(new AppError("unavailable", "The embeddable inbox is not built: run npm run build"));
  const headers = {
    "Content-Type": "text/javascript; charset=utf-8",
    "Cache-Control": "public, max-age=86400, stale-while-revalidate=604800",
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    ETag: found.etag,
  };
  const match = request.headers.get("if-none-match");
  if (match && match.split(",").some((tag) => tag.trim().replace(/^W\//, "") === found.etag)) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(found.body), { headers });
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({ GET: guarded(script) });
