import "server-only";
import { readAllSchema } from "@/lib/validations/notifications";
import { endpoint } from "./endpoint";
import { readJson } from "./respond";
import { userRoute } from "./user-route";

/**
 * A bulk change "up to the newest id the user saw" (mark all read, clear all): an optional
 * `{upTo}` body, so what arrives after the click is not swept along.
 */
export function upToEndpoint(apply: (userId: string, upTo?: number) => Promise<unknown>) {
  return endpoint({
    POST: userRoute(async (request, _ctx, user) => {
      const hasBody = request.headers.get("content-length") !== "0" && request.body !== null;
      const { upTo } = hasBody ? await readJson(request, readAllSchema) : { upTo: undefined };
      return Response.json(await apply(user.id, upTo));
    }),
  });
}
