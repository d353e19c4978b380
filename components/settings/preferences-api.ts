"use client";

import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import type { PreferencesDTO } from "@/lib/preferences/model";
import type { UpdatePreferencesInput } from "@/lib/validations/preferences";
import { fetchJson } from "@/sdk/client/src/api";

export const preferencesQuery = queryOptions({
  queryKey: ["preferences"] as const,
  queryFn: ({ signal }) => fetchJson<PreferencesDTO>("/api/preferences", { signal }),
});

const MUTATION_KEY = ["preferences", "update"] as const;

function merge(prefs: PreferencesDTO, change: UpdatePreferencesInput): PreferencesDTO {
  const categories = { ...prefs.categories };
  for (const [c, v] of Object.entries(change.categories ?? {})) {
    const key = c as keyof typeof categories;
    categories[key] = { ...categories[key], ...v };
  }
  return {
    categories,
    soundEnabled: change.soundEnabled ?? prefs.soundEnabled,
    browserEnabled: change.browserEnabled ?? prefs.browserEnabled,
    emailDigest: change.emailDigest ?? prefs.emailDigest,
    quietHours: { ...prefs.quietHours, ...change.quietHours },
  };
}

/**
 * Partial updates (the server merges them), applied optimistically and sent one at a time;
 * a response only replaces the cache when no later change is still on its way.
 */
export function useUpdatePreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: MUTATION_KEY,
    scope: { id: "preferences" },
    mutationFn: (change: UpdatePreferencesInput) =>
      fetchJson<PreferencesDTO>("/api/preferences", { method: "PUT", body: JSON.stringify(change) }),
    onMutate: async (change) => {
      await client.cancelQueries({ queryKey: preferencesQuery.queryKey });
      const previous = client.getQueryData(preferencesQuery.queryKey);
      if (previous) client.setQueryData(preferencesQuery.queryKey, merge(previous, change));
      return { previous };
    },
    onError: (err, _change, ctx) => {
      if (ctx?.previous) client.setQueryData(preferencesQuery.queryKey, ctx.previous);
      toast.error(`Could not save: ${err instanceof Error ? err.message : "unknown error"}`);
    },
    onSuccess: (prefs) => {
      if (client.isMutating({ mutationKey: MUTATION_KEY }) <= 1) client.setQueryData(preferencesQuery.queryKey, prefs);
    },
  });
}
