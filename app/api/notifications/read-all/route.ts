import { requireUser } from "@/lib/auth/session";
import { endpoint } from "@/lib/http/endpoint";
import { readJson, route } from "@/lib/http/respond";
import { markAllRead } from "@/lib/notifications/service";
import { readAllSchema } from "@/lib/validations/notifications";

/** `{upTo?: id}`: the newest id the user saw, so what arrives after the click stays unread. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  POST: route(async (request) => {
    const user = await requireUser();
    const hasBody = request.headers.get("content-length") !== "0" && request.body !== null;
    const { upTo } = hasBody ? await readJson(request, readAllSchema) : { upTo: undefined };
    return Response.json(await markAllRead(user.id, upTo));
  }),
});
