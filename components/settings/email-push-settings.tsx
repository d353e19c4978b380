"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { EmailDigest } from "@/db/schema";
import type { PreferencesDTO } from "@/lib/preferences/model";
import type { UpdatePreferencesInput } from "@/lib/validations/preferences";
import { pushDevicesQuery, thisDeviceId, useEnablePush, useRemoveDevice } from "./push-api";

export type Channels = { email: { enabled: boolean; reason?: string }; push: { enabled: boolean; reason?: string }; devMail: boolean };
type Props = { prefs: PreferencesDTO; update: (change: UpdatePreferencesInput) => void; channels: Channels };

const DIGESTS: { value: EmailDigest; label: string; hint: string }[] = [
  { value: "instant", label: "Each notification", hint: "One email per notification still unread a few minutes after it arrived." },
  { value: "hourly", label: "Hourly digest", hint: "One email an hour listing what is still unread." },
  { value: "daily", label: "Daily digest", hint: "One email each morning listing what is still unread." },
  { value: "off", label: "No email", hint: "Never email me." },
];

const button =
  "rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium shadow-sm hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";
const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** How email is batched, whether this server sends email and push, and the devices push goes to. */
export function EmailPushSettings({ prefs, update, channels }: Props) {
  const devices = useQuery({ ...pushDevicesQuery, enabled: channels.push.enabled });
  const enable = useEnablePush();
  const remove = useRemoveDevice();
  const [here, setHere] = useState<string | null>(null);
  useEffect(() => {
    void thisDeviceId().then(setHere, () => setHere(null));
  }, [devices.data]);

  return (
    <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
      <div className="space-y-2 px-4 py-3">
        <label htmlFor="email-digest" className="text-sm font-medium">
          Email
        </label>
        {channels.email.enabled ? null : (
          <p role="note" className="text-sm text-amber-700 dark:text-amber-400">
            {channels.email.reason}
          </p>
        )}
        <select
          id="email-digest"
          value={prefs.emailDigest}
          onChange={(e) => update({ emailDigest: e.target.value as EmailDigest })}
          className="block w-full max-w-xs rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          {DIGESTS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {DIGESTS.find((d) => d.value === prefs.emailDigest)?.hint} Only for categories with Email on; urgent ones go at once.
          {channels.devMail ? (
            <>
              {" "}
              This server keeps its mail at{" "}
              <a href="/dev/mail" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                /dev/mail
              </a>
              .
            </>
          ) : null}
        </p>
      </div>
      <div className="space-y-2 px-4 py-3">
        <p className="text-sm font-medium">Push on your devices</p>
        {channels.push.enabled ? (
          <>
            <div className="flex flex-wrap items-center gap-3">
              <button type="button" className={button} disabled={enable.isPending} onClick={() => enable.mutate()}>
                {enable.isPending ? "Enabling…" : "Enable push on this device"}
              </button>
              <p role="status" aria-live="polite" className="text-sm text-red-700 dark:text-red-400">
                {enable.error ? enable.error.message : ""}
              </p>
            </div>
            <ul aria-label="Devices with push" className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
              {(devices.data?.items ?? []).map((d) => (
                <li key={d.id} aria-label={d.name} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                  <span>
                    <span className="font-medium">{d.name}</span>
                    {d.id === here ? <span className="ml-2 text-xs text-emerald-700 dark:text-emerald-400">this device</span> : null}
                    <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                      Added {date(d.createdAt)} · last used {date(d.lastUsedAt)}
                    </span>
                  </span>
                  <button type="button" className={button} onClick={() => remove.mutate({ ...d, here: d.id === here })} aria-label={`Remove ${d.name}`}>
                    Remove
                  </button>
                </li>
              ))}
              {devices.data && devices.data.items.length === 0 ? <li className="px-3 py-2 text-sm text-zinc-500 dark:text-zinc-400">No devices yet.</li> : null}
            </ul>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">Pushes skip you while a Herald tab is on screen, and wait out quiet hours unless urgent.</p>
          </>
        ) : (
          <p role="note" className="text-sm text-amber-700 dark:text-amber-400">
            {channels.push.reason}
          </p>
        )}
      </div>
    </div>
  );
}
