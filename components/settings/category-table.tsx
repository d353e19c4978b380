"use client";

import type { CategoryPreference, NotificationCategory } from "@/db/schema";
import { NOTIFICATION_CATEGORIES } from "@/lib/notifications/constants";
import type { PreferencesDTO } from "@/lib/preferences/model";
import { CATEGORY_META, CategoryIcon } from "@/components/notifications/meta";
import { BellOffIcon } from "@/components/ui/icons";
import { Switch } from "@/components/ui/switch";

type Channel = Exclude<keyof CategoryPreference, "muted">;
const CHANNELS: { key: Channel; label: string; hint: string }[] = [
  { key: "inApp", label: "In-app", hint: "Live alerts inside Herald. Off: the inbox still fills, silently." },
  { key: "toast", label: "Toast", hint: "A pop-up in the corner of the page." },
  { key: "browser", label: "Browser", hint: "A system notification for high and urgent ones while Herald is in the background." },
  { key: "sound", label: "Sound", hint: "A short chime for urgent ones." },
  { key: "email", label: "Email", hint: "An email when it is still unread a few minutes later (or in your digest)." },
  { key: "push", label: "Push", hint: "A push to your devices with push on, unless a Herald tab is on screen." },
];

type Props = {
  prefs: PreferencesDTO;
  onChange: (category: NotificationCategory, change: Partial<CategoryPreference>) => void;
};

/** Per category: the six channels and a mute. A table on wide screens, cards on a phone. */
export function CategoryTable({ prefs, onChange }: Props) {
  return (
    <div>
      <div className="hidden grid-cols-[minmax(10rem,1fr)_repeat(6,4.5rem)_6rem] items-end gap-2 border-b border-zinc-200 px-4 pb-2 text-xs font-medium text-zinc-500 md:grid dark:border-zinc-800 dark:text-zinc-400">
        <span>Category</span>
        {CHANNELS.map((c) => (
          <span key={c.key} className="text-center" title={c.hint}>
            {c.label}
          </span>
        ))}
        <span className="text-right">Mute</span>
      </div>
      <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {NOTIFICATION_CATEGORIES.map((category) => {
          const pref = prefs.categories[category];
          const { label } = CATEGORY_META[category];
          return (
            <li
              key={category}
              aria-label={label}
              className="grid grid-cols-2 items-center gap-x-2 gap-y-3 px-4 py-3 md:grid-cols-[minmax(10rem,1fr)_repeat(6,4.5rem)_6rem]"
            >
              <div className="col-span-2 flex items-center gap-3 md:col-span-1">
                <span className={`flex items-center gap-3 ${pref.muted ? "opacity-60" : ""}`}>
                  <CategoryIcon category={category} size="sm" />
                  <span className="text-sm font-medium">{label}</span>
                </span>
                {pref.muted ? (
                  <span className="rounded bg-zinc-200 px-1.5 py-px text-[10px] font-semibold uppercase tracking-wide text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400">
                    Muted
                  </span>
                ) : null}
                <span className="ml-auto md:hidden">
                  <MuteButton muted={pref.muted} label={label} onToggle={() => onChange(category, { muted: !pref.muted })} />
                </span>
              </div>
              {CHANNELS.map((c) => (
                <label key={c.key} className={`flex items-center justify-between gap-2 md:justify-center ${pref.muted ? "opacity-50" : ""}`}>
                  <span className="text-xs text-zinc-600 md:sr-only dark:text-zinc-400">{c.label}</span>
                  <Switch size="sm" checked={pref[c.key]} onChange={(v) => onChange(category, { [c.key]: v })} label={`${c.label} for ${label}`} />
                </label>
              ))}
              <div className="hidden justify-end md:flex">
                <MuteButton muted={pref.muted} label={label} onToggle={() => onChange(category, { muted: !pref.muted })} />
              </div>
            </li>
          );
        })}
      </ul>
      <dl className="grid gap-x-6 gap-y-1 border-t border-zinc-200 px-4 py-3 text-xs text-zinc-500 sm:grid-cols-2 dark:border-zinc-800 dark:text-zinc-400">
        {CHANNELS.map((c) => (
          <div key={c.key} className="flex gap-1">
            <dt className="font-medium text-zinc-700 dark:text-zinc-300">{c.label}:</dt>
            <dd>{c.hint}</dd>
          </div>
        ))}
        <div className="flex gap-1">
          <dt className="font-medium text-zinc-700 dark:text-zinc-300">Mute:</dt>
          <dd>Nothing pops up for the category; it still lands in the inbox.</dd>
        </div>
      </dl>
    </div>
  );
}

function MuteButton({ muted, label, onToggle }: { muted: boolean; label: string; onToggle: () => void }) {
  return (
    <button
      type="button"
      aria-pressed={muted}
      onClick={onToggle}
      aria-label={`Mute ${label}`}
      className={`inline-flex items-center gap-1.5 rounded-md border px-2.5 py-1 text-xs font-medium ${
        muted
          ? "border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900"
          : "border-zinc-300 text-zinc-700 hover:bg-zinc-50 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
      }`}
    >
      <BellOffIcon className="size-3.5" />
      {muted ? "Muted" : "Mute"}
    </button>
  );
}
