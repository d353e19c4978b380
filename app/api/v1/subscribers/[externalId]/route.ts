import { endpoint } from "@/lib/http/endpoint";
import { parseWith, readJson } from "@/lib/http/respond";
import { serviceRoute } from "@/lib/http/service-route";
import { eraseSubscriber, identifySubscriber, readSubscriber } from "@/lib/subscribers/service";
import { externalIdSchema, upsertSubscriberSchema } from "@/lib/validations/subscribers";

type Ctx = { params: Promise<{ externalId: string }> };
const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint<Ctx>({
  GET: serviceRoute(async (_request, { params }, token) => {
    const externalId = parseWith(externalIdSchema, (await params).externalId);
    return Response.json(await readSubscriber(token, externalId), { headers: noStore });
  }),

  /** Identify: creates the subscriber (201) or updates the fields given (200). */
  PUT: serviceRoute(async (request, { params }, token) => {
    const externalId = parseWith(externalIdSchema, (await params).externalId);
    const fields = await readJson(request, upsertSubscriberSchema);
    const { created, subscriber } = await identifySubscriber(token, externalId, fields);
    return Response.json(subscriber, { status: created ? 201 : 200, headers: noStore });
  }),

  /** Erases the subscriber and everything of theirs, in one transaction. */
  DELETE: serviceRoute(async (_request, { params }, token) => {
    const externalId = parseWith(externalIdSchema, (await params).externalId);
    await eraseSubscriber(token, externalId);
    return new Response(null, { status: 204 });
  }),
});
