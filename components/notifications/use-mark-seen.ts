"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { markSeenRequest, notificationListQuery, unreadCountQuery } from "@/sdk/client/src/api";
import { getCounts, newestSeenId, setCounts } from "@/sdk/client/src/cache";

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
      // Only the unseen count is this answer's news: seeing never changes what is unread, and the
      // unread count it carries may be older than one the stream delivered while it was in flight
      // (a second notification arriving then left the badge one short until the next event).
      if (counts && !cancelled) setCounts(client, { unreadCount: getCounts(client).unreadCount, unseenCount: counts.unseenCount });
    })();
    return () => {
      cancelled = true;
    };
  }, [active, unseen, client]);
}
