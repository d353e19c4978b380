import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { serviceRoute } from "@/lib/http/service-route";
import { identifySubscribers } from "@/lib/subscribers/service";
import { SERVICE_BODY_MAX_BYTES } from "@/lib/validations/service-api";
import { bulkSubscribersSchema } from "@/lib/validations/subscribers";

// A static segment beside /api/v1/subscribers/{externalId}: "bulk" is therefore not a valid external id.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** Up to 1,000 subscribers created or updated in one transaction. */
  POST: serviceRoute(async (request, _ctx, token) => {
    const input = await readJson(request, bulkSubscribersSchema, { maxBytes: SERVICE_BODY_MAX_BYTES });
    return Response.json(await identifySubscribers(token, input.subscribers), { headers: { "Cache-Control": "no-store" } });
  }),
});
