import type { NotificationDTO } from "@/lib/notifications/dto";
import { roomOf, roomPath } from "@/lib/notifications/kinds/message";
import { announceNotification } from "../announcer";
import { showBrowserNotification } from "../browser-alerts";
import { playChime, soundReady } from "../sound";
import { claimOnce } from "@/sdk/client/src/tab-presence";
import { queueNotificationToast } from "../toasts";
import type { Delivery } from "@/lib/preferences/model";
import type { EventContext } from "./handle-event";

/** The chat room on screen already shows the message: no toast, no alert for it. */
export function isLookingAtRoom(n: NotificationDTO, pathname: string) {
  const roomId = roomOf(n);
  return roomId !== null && pathname === roomPath(roomId);
}

/**
 * What a new notification does beyond the inbox. The server decided it (`delivery`, from the user's
 * preferences, mutes and quiet hours); the browser only adds what it alone knows: the page on screen,
 * tab visibility, the permission and which tab leads.
 */
export function alertNewNotification(n: NotificationDTO & { delivery: Delivery }, ctx: EventContext) {
  const important = n.priority === "high" || n.priority === "urgent";
  const d = n.delivery;
  if (!d.inApp || isLookingAtRoom(n, ctx.pathname)) return;
  if (d.toast) {
    announceNotification(n.title);
    queueNotificationToast(n, { open: ctx.open, viewAll: ctx.viewAll });
  }
  if (d.browser && important) void showBrowserNotification(n, { isLeader: ctx.isLeader, onClick: ctx.open });
  if (d.sound && soundReady()) {
    void claimOnce(`sound:${n.id}`).then((mine) => mine && playChime());
  }
}
