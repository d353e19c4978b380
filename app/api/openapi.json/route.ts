import { endpoint } from "@/lib/http/endpoint";
import { guarded } from "@/lib/http/respond";
import { openApiDocument } from "@/lib/openapi/document";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** Public: the API's description, generated from the same zod schemas the handlers validate with. */
  GET: guarded(async () => Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } })),
});
