import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/sdk/client/src/api";

export type PushDevice = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

export const pushDevicesQuery = queryOptions({
  queryKey: ["push", "devices"] as const,
  queryFn: ({ signal }) => fetchJson<{ items: PushDevice[] }>("/api/push/subscriptions", { signal }),
});

const urlBase64ToBytes = (b64: string) => {
  const raw = atob((b64 + "=".repeat((4 - (b64.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
};

/** This browser's subscription, if push is on here. */
export async function currentSubscription() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return null;
  const reg = await navigator.serviceWorker.getRegistration("/");
  return (await reg?.pushManager.getSubscription()) ?? null;
}

/** Registers /sw.js, asks permission, subscribes with the server's VAPID key and saves the subscription. */
async function enableHere(): Promise<void> {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) throw new Error("This browser does not support web push.");
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new Error("Notifications are blocked for this site in your browser settings.");
  const { publicKey } = await fetchJson<{ publicKey: string }>("/api/push/vapid-public-key");
  const reg = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  await navigator.serviceWorker.ready;
  let sub: PushSubscription;
  try {
    sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToBytes(publicKey) });
  } catch {
    throw new Error("This browser could not reach its push service.");
  }
  const device = await fetchJson<PushDevice>("/api/push/subscriptions", { method: "POST", body: JSON.stringify(sub.toJSON()) });
  localStorage.setItem(THIS_DEVICE, device.id);
}

const THIS_DEVICE = "herald:push-device";
/** The id this browser's subscription was saved under, when it still has one. */
export async function thisDeviceId() {
  return (await currentSubscription()) ? localStorage.getItem(THIS_DEVICE) : null;
}

export function useEnablePush() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: enableHere, onSettled: () => qc.invalidateQueries({ queryKey: pushDevicesQuery.queryKey }) });
}

export function useRemoveDevice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (device: PushDevice & { here: boolean }) => {
      await fetchJson(`/api/push/subscriptions/${device.id}`, { method: "DELETE" });
      if (device.here) await (await currentSubscription())?.unsubscribe();
    },
    onSettled: () => qc.invalidateQueries({ queryKey: pushDevicesQuery.queryKey }),
  });
}
