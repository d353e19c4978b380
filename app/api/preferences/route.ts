import { requireUser } from "@/lib/auth/session";
import { endpoint } from "@/lib/http/endpoint";
import { readJson, route } from "@/lib/http/respond";
import { getPreferences, updatePreferences } from "@/lib/preferences/service";
import { updatePreferencesSchema } from "@/lib/validations/preferences";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  GET: route(async () => {
    const user = await requireUser();
    return Response.json(await getPreferences(user.id));
  }),

  /** Partial: what is given replaces the stored value, the rest is kept. */
  PUT: route(async (request) => {
    const user = await requireUser();
    const input = await readJson(request, updatePreferencesSchema);
    return Response.json(await updatePreferences(user.id, input));
  }),
});
