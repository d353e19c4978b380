import { endpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { serviceRoute } from "@/lib/http/service-route";
import { identifySubscribers } from "@/lib/subscribers/service";
import { SERVICE_BODY_MAX_BYTES } from "@/lib/validations/service-api";
import { bulkSubscribersSchema } from "@/lib/validations/subscribers";
import * as one from "../[externalId]/route";

// This static segment shadows the subscriber whose external id is "bulk": its GET, PUT and DELETE
// are that subscriber's.
const theBulkSubscriber = { params: Promise.resolve({ externalId: "bulk" }) };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  GET: (request) => one.GET(request, theBulkSubscriber),
  PUT: (request) => one.PUT(request, theBulkSubscriber),
  DELETE: (request) => one.DELETE(request, theBulkSubscriber),

  /** Up to 1,000 subscribers created or updated in one transaction. */
  POST: serviceRoute(async (request, _ctx, token) => {
    const input = await readJson(request, bulkSubscribersSchema, { maxBytes: SERVICE_BODY_MAX_BYTES });
    return Response.json(await identifySubscribers(token, input.subscribers), { headers: { "Cache-Control": "no-store" } });
  }),
});
