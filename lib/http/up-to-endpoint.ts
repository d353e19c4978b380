import "server-only";
import type { z } from "zod";
import { readAllSchema } from "@/lib/validations/notifications";
import { personEndpoint } from "./endpoint";
import { readJson } from "./respond";
import { personRoute } from "./user-route";

/**
 * A bulk change "up to the newest id the user saw" (mark all read, clear all, seen): an optional
 * `{upTo}` body (mark all read and clear all also take a `groupKey`), so what arrives after the
 * click is not swept along.
 */
export function upToEndpoint<S extends z.ZodType<{ upTo?: number }> = typeof readAllSchema>(
  apply: (userId: string, body: z.output<S>) => Promise<unknown>,
  schema: S = readAllSchema as unknown as S,
) {
  return personEndpoint({
    POST: personRoute(async (request, _ctx, user) => {
      const hasBody = request.headers.get("content-length") !== "0" && request.body !== null;
      const body = hasBody ? await readJson(request, schema) : ({} as z.output<S>);
      return Response.json(await apply(user.id, body));
    }),
  });
}
