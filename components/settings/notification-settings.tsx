"use client";

import { useIsMutating, useQuery } from "@tanstack/react-query";
import type { CategoryPreference, NotificationCategory } from "@/db/schema";
import { RefreshIcon } from "@/components/ui/icons";
import { AlertSettings } from "./alert-settings";
import { CategoryTable } from "./category-table";
import { EmailPushSettings, type Channels } from "./email-push-settings";
import { preferencesQuery, useUpdatePreferences } from "./preferences-api";
import { QuietHours } from "./quiet-hours";

function Section({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 className="font-semibold">{title}</h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{description}</p>
      </div>
      {children}
    </section>
  );
}

/** Every change is saved at once (partial update); the server applies it to what it sends next. */
export function NotificationSettings({ channels }: { channels: Channels }) {
  const { data: prefs, isPending, isError, refetch } = useQuery(preferencesQuery);
  const { mutate } = useUpdatePreferences();
  const saving = useIsMutating({ mutationKey: ["preferences", "update"] }) > 0;

  if (isPending) {
    return <div role="status" aria-label="Loading settings" className="h-96 animate-pulse rounded-xl bg-zinc-100 dark:bg-zinc-900" />;
  }
  if (isError) {
    return (
      <div role="alert" className="rounded-xl border border-zinc-200 bg-white p-6 text-center dark:border-zinc-800 dark:bg-zinc-900">
        <p className="text-sm">Couldn’t load your settings.</p>
        <button type="button" onClick={() => void refetch()} className="mt-3 inline-flex items-center gap-1.5 text-sm font-medium text-indigo-600 dark:text-indigo-400">
          <RefreshIcon className="size-3.5" /> Retry
        </button>
      </div>
    );
  }

  const onCategory = (category: NotificationCategory, change: Partial<CategoryPreference>) => mutate({ categories: { [category]: change } });

  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Notifications</h1>
          <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">Choose what reaches you, and how. Changes apply to the next notification.</p>
        </div>
        <p role="status" aria-live="polite" className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400" data-testid="save-status">
          {saving ? "Saving…" : "All changes saved"}
        </p>
      </div>
      <Section title="Categories" description="Per category, where notifications show up. Muting keeps them in the inbox only.">
        <CategoryTable prefs={prefs} onChange={onCategory} />
      </Section>
      <Section title="Alerts" description="System notifications and sound.">
        <AlertSettings prefs={prefs} update={mutate} />
      </Section>
      <Section title="Email and push" description="Reach you when you are away from Herald.">
        <EmailPushSettings prefs={prefs} update={mutate} channels={channels} />
      </Section>
      <Section title="Schedule" description="Silence alerts at night or during focus time.">
        <QuietHours prefs={prefs} update={mutate} />
      </Section>
    </div>
  );
}
