"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { markSeenRequest, notificationListQuery, unreadCountQuery } from "./api";
import { newestSeenId, setCounts } from "./cache";

/**
 * While `active` (the bell is open, the inbox is on screen), what it shows is seen: the badge, which
 * counts unseen items, clears; unread dots stay until read. Runs again when something new arrives
 * while it is open, up to the newest notification loaded, never past it.
 */
export function useMarkSeen(active: boolean) {
  const client = useQueryClient();
  const { data } = useQuery(unreadCountQuery);
  const unseen = data?.unseenCount ?? 0;
  useEffect(() => {
    if (!active || unseen === 0 || document.visibilityState === "hidden") return;
    let cancelled = false;
    void (async () => {
      await client.ensureInfiniteQueryData(notificationListQuery({ status: "all" })).catch(() => null);
      const upTo = newestSeenId(client);
      if (cancelled || !upTo) return;
      const counts = await markSeenRequest(upTo).catch(() => null);
      if (counts && !cancelled) setCounts(client, counts);
    })();
    return () => {
      cancelled = true;
    };
  }, [active, unseen, client]);
}
