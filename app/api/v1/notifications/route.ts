import { endpoint } from "@/lib/http/endpoint";
import { parseWith, readJsonValue } from "@/lib/http/respond";
import { serviceRoute } from "@/lib/http/service-route";
import { requestHash, sendFromService } from "@/lib/notifications/service-api";
import {
  SERVICE_BODY_MAX_BYTES,
  createAppNotificationSchema,
  createServiceNotificationSchema,
  serviceHeadersSchema,
} from "@/lib/validations/service-api";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /**
   * Creates a notification for one user or up to 1,000 (by id or email) in one transaction.
   * `Idempotency-Key`: the same key within 24 h replays the first response and creates nothing.
   */
  POST: serviceRoute(async (request, _ctx, token) => {
    const { "Idempotency-Key": key } = parseWith(serviceHeadersSchema, {
      "Idempotency-Key": request.headers.get("idempotency-key") ?? undefined,
    });
    const raw = await readJsonValue(request, SERVICE_BODY_MAX_BYTES);
    const input = token.appId ? parseWith(createAppNotificationSchema, raw) : parseWith(createServiceNotificationSchema, raw);
    const result = await sendFromService(token, input, key ? { key, hash: requestHash(raw) } : undefined);
    return Response.json(result.body, {
      status: result.status,
      headers: result.replayed ? { "Idempotent-Replayed": "true" } : undefined,
    });
  }),
});
