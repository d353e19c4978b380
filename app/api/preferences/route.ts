import { requireUser } from "@/lib/auth/session";
import { readJson, route } from "@/lib/http/respond";
import { getPreferences, updatePreferences } from "@/lib/preferences/service";
import { updatePreferencesSchema } from "@/lib/validations/preferences";

export const GET = route(async () => {
  const user = await requireUser();
  return Response.json(await getPreferences(user.id));
});

export const PUT = route(async (request) => {
  const user = await requireUser();
  const input = await readJson(request, updatePreferencesSchema);
  return Response.json(await updatePreferences(user.id, input));
});
