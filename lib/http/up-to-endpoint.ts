import "server-only";
import { requireUser } from "@/lib/auth/session";
import { readAllSchema } from "@/lib/validations/notifications";
import { endpoint } from "./endpoint";
import { readJson, route } from "./respond";

/**
 * A bulk change "up to the newest id the user saw" (mark all read, clear all): an optional
 * `{upTo}` body, so what arrives after the click is not swept along.
 */
export function upToEndpoint(apply: (userId: string, upTo?: number) => Promise<unknown>) {
  return endpoint({
    POST: route(async (request) => {
      const user = await requireUser();
      const hasBody = request.headers.get("content-length") !== "0" && request.body !== null;
      const { upTo } = hasBody ? await readJson(request, readAllSchema) : { upTo: undefined };
      return Response.json(await apply(user.id, upTo));
    }),
  });
}
