"use client";

import { useEffect, useState } from "react";
import { toast } from "sonner";
import type { PreferencesDTO } from "@/lib/preferences/model";
import type { UpdatePreferencesInput } from "@/lib/validations/preferences";
import { browserPermission, requestBrowserPermission, type PermissionState } from "@/components/notifications/browser-alerts";
import { playChimeFromGesture } from "@/components/notifications/sound";
import { MonitorIcon, VolumeIcon } from "@/components/ui/icons";
import { Switch } from "@/components/ui/switch";

type Props = { prefs: PreferencesDTO; update: (change: UpdatePreferencesInput) => void };

const button =
  "rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium shadow-sm hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800";

/** Browser notifications (permission asked only from the click here) and the urgent chime. */
export function AlertSettings({ prefs, update }: Props) {
  const [permission, setPermission] = useState<PermissionState | null>(null);

  useEffect(() => {
    setPermission(browserPermission());
    let status: PermissionStatus | undefined;
    navigator.permissions
      ?.query({ name: "notifications" })
      .then((s) => {
        status = s;
        s.onchange = () => setPermission(browserPermission());
      })
      .catch(() => {});
    return () => {
      if (status) status.onchange = null;
    };
  }, []);

  const allow = async () => {
    const result = await requestBrowserPermission();
    setPermission(result);
    if (result === "granted") update({ browserEnabled: true });
    else if (result === "denied") toast.error("Your browser blocked notifications for this site.");
  };

  const testNotification = () => {
    const n = new Notification("Herald test notification", { body: "Browser notifications work.", icon: "/icon.svg", tag: "herald-test" });
    n.onclick = () => {
      window.focus();
      n.close();
    };
  };

  return (
    <div className="divide-y divide-zinc-100 dark:divide-zinc-800">
      <div className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start">
        <span aria-hidden className="grid size-9 shrink-0 place-items-center rounded-lg bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          <MonitorIcon />
        </span>
        <div className="min-w-0 flex-1">
          <h3 className="text-sm font-medium" id="browser-heading">
            Browser notifications
          </h3>
          <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">
            High and urgent notifications appear as system notifications while no Herald tab is on screen. Only one tab shows each one.
          </p>
          <p className="mt-2 text-sm" data-testid="browser-permission">
            {permission === null
              ? null
              : permission === "unsupported"
                ? "This browser does not support notifications."
                : permission === "denied"
                  ? "Blocked: allow notifications for this site in your browser’s site settings, then reload."
                  : permission === "default"
                    ? "Your browser has not been asked yet."
                    : "Allowed by your browser."}
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            {permission === "default" ? (
              <button type="button" className={button} onClick={() => void allow()}>
                Allow browser notifications
              </button>
            ) : null}
            {permission === "granted" ? (
              <button type="button" className={button} onClick={testNotification}>
                Send a test notification
              </button>
            ) : null}
          </div>
        </div>
        <Switch
          checked={prefs.browserEnabled && permission === "granted"}
          disabled={permission !== "granted"}
          onChange={(v) => update({ browserEnabled: v })}
          label="Browser notifications"
        />
      </div>
      <div className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start">
        <span aria-hidden className="grid size-9 shrink-0 place-items-center rounded-lg bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
          <VolumeIcon />
        </span>
        <div className="min-w-0 flex-1">
          <h3 className="text-sm font-medium">Sound for urgent notifications</h3>
          <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">A short chime, generated in the browser. Categories can turn it off one by one.</p>
          <button type="button" className={`${button} mt-3`} onClick={() => void playChimeFromGesture()}>
            Play test sound
          </button>
        </div>
        <Switch checked={prefs.soundEnabled} onChange={(v) => update({ soundEnabled: v })} label="Sound for urgent notifications" />
      </div>
    </div>
  );
}
