"use client";

import { createContext, useContext } from "react";
import type { NotificationDTO } from "@/lib/notifications/dto";

/**
 * Where the bell is shown. In Herald's own pages, nothing to say. Inside a host page (the
 * embeddable inbox) there are no Herald pages to link to, and the host may take a click over.
 */
export type NotificationHost = {
  embedded: boolean;
  /** Asked before an action URL is followed; false keeps the page where it is. */
  beforeOpen?: (n: NotificationDTO) => boolean;
  /** Where the bell puts its "open the dropdown", for what would otherwise link to Herald's inbox page. */
  inbox?: { open: (() => void) | null };
};

export const NotificationHostContext = createContext<NotificationHost>({ embedded: false });

export const useNotificationHost = () => useContext(NotificationHostContext);
