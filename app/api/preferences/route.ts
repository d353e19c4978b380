import { personEndpoint } from "@/lib/http/endpoint";
import { readJson } from "@/lib/http/respond";
import { personRoute } from "@/lib/http/user-route";
import { getPreferences, updatePreferences } from "@/lib/preferences/service";
import { updatePreferencesSchema } from "@/lib/validations/preferences";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint({
  GET: personRoute(async (_request, _ctx, user) => {
    return Response.json(await getPreferences(user.id));
  }),

  /** Partial: what is given replaces the stored value, the rest is kept. */
  PUT: personRoute(async (request, _ctx, user) => {
    const input = await readJson(request, updatePreferencesSchema);
    return Response.json(await updatePreferences(user.id, input));
  }),
});
