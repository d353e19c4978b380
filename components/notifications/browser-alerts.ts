import type { NotificationDTO } from "@/lib/notifications/dto";
import { preview } from "./format";
import { anyTabVisible, claimOnce } from "@/sdk/client/src/tab-presence";

export type PermissionState = NotificationPermission | "unsupported";

export function browserPermission(): PermissionState {
  return typeof window !== "undefined" && "Notification" in window ? Notification.permission : "unsupported";
}

/** Only ever called from a click in the settings page: browsers (rightly) ignore or punish unprompted asks. */
export async function requestBrowserPermission(): Promise<PermissionState> {
  if (browserPermission() === "unsupported") return "unsupported";
  return Notification.requestPermission();
}

/**
 * A native notification for a high or urgent notification while no Herald tab is on screen.
 * Only the leader tab considers it, and a cross-tab claim makes sure one tab at most shows it;
 * the `tag` lets the OS replace rather than stack a duplicate.
 */
export async function showBrowserNotification(
  n: NotificationDTO,
  opts: { isLeader: () => boolean; onClick: (n: NotificationDTO) => void },
) {
  if (browserPermission() !== "granted") return false;
  if (!opts.isLeader() || anyTabVisible()) return false;
  if (!(await claimOnce(`browser:${n.id}`))) return false;
  const native = new Notification(n.title, {
    body: preview(n.body, 200),
    tag: `herald-${n.id}`,
    icon: "/icon.svg",
    requireInteraction: n.priority === "urgent",
  });
  native.onclick = (event) => {
    event.preventDefault();
    window.focus();
    native.close();
    opts.onClick(n);
  };
  return true;
}
