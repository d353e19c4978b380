"use client";

import { useMemo } from "react";
import { useNow } from "@/lib/hooks/use-now";
import { inQuietHours, type PreferencesDTO } from "@/lib/preferences/model";
import type { UpdatePreferencesInput } from "@/lib/validations/preferences";
import { MoonIcon } from "@/components/ui/icons";
import { Switch } from "@/components/ui/switch";

type Props = { prefs: PreferencesDTO; update: (change: UpdatePreferencesInput) => void };

const field =
  "rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950 disabled:opacity-50";

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** No toasts, browser alerts or sound inside the window (the server decides); the inbox still fills. */
export function QuietHours({ prefs, update }: Props) {
  const q = prefs.quietHours;
  const now = useNow(30_000);
  const zones = useMemo(() => {
    const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    return [...new Set(["UTC", browserZone(), q.timeZone, ...all])];
  }, [q.timeZone]);
  const active = inQuietHours(prefs, new Date(now));

  return (
    <div className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start">
      <span aria-hidden className="grid size-9 shrink-0 place-items-center rounded-lg bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
        <MoonIcon />
      </span>
      <div className="min-w-0 flex-1">
        <h3 className="text-sm font-medium">Quiet hours</h3>
        <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">
          No toasts, browser notifications or sounds in this window. Notifications still arrive in your inbox.
        </p>
        <div className="mt-3 flex flex-wrap items-end gap-3">
          <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="block">From</span>
            <input
              type="time"
              className={field}
              value={q.start}
              disabled={!q.enabled}
              onChange={(e) => e.target.value && update({ quietHours: { start: e.target.value } })}
            />
          </label>
          <label className="space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="block">To</span>
            <input
              type="time"
              className={field}
              value={q.end}
              disabled={!q.enabled}
              onChange={(e) => e.target.value && update({ quietHours: { end: e.target.value } })}
            />
          </label>
          <label className="min-w-0 space-y-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="block">Time zone</span>
            <select
              className={`${field} max-w-full`}
              value={q.timeZone}
              disabled={!q.enabled}
              onChange={(e) => update({ quietHours: { timeZone: e.target.value } })}
            >
              {zones.map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll("_", " ")}
                </option>
              ))}
            </select>
          </label>
        </div>
        {q.enabled ? (
          <p className="mt-3 text-sm" role="status">
            {active ? (
              <span className="inline-flex items-center gap-1.5 font-medium text-indigo-700 dark:text-indigo-300">
                <MoonIcon className="size-3.5" /> Quiet hours are on right now.
              </span>
            ) : (
              <span className="text-zinc-500 dark:text-zinc-400">
                Next quiet period starts at {q.start} ({q.timeZone.replaceAll("_", " ")}).
              </span>
            )}
          </p>
        ) : null}
      </div>
      <Switch
        checked={q.enabled}
        onChange={(enabled) =>
          // Turning it on for the first time picks the browser's time zone rather than UTC.
          update({ quietHours: enabled && q.timeZone === "UTC" ? { enabled, timeZone: browserZone() } : { enabled } })
        }
        label="Quiet hours"
      />
    </div>
  );
}
