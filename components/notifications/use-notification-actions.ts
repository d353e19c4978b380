"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { toast } from "sonner";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { batchRequest, bulkRequest, clickRequest, notificationKeys, snoozeRequest, type BatchAction, type BulkResult, type Counts } from "@/sdk/client/src/api";
import { applyAction, cachedNotifications, getCounts, newestSeenId, refetchAfterChange, replaceNotification, setCounts, snapshot } from "@/sdk/client/src/cache";
import { plural } from "./format";
import { useNotificationHost } from "./host-context";
import { openActionUrl, safeActionTarget } from "./safe-url";
import { snoozeTimeText } from "./snooze-presets";

const UNDO_MS = 5_000;
const ACTION_KEY = ["notifications", "action"] as const;

const failed: Record<BatchAction, string> = {
  read: "Could not mark as read",
  unread: "Could not mark as unread",
  archive: "Could not archive",
  unarchive: "Could not restore",
  delete: "Could not delete",
};

/**
 * Read / unread / archive / unarchive / delete for one or many notifications: optimistic on every
 * cached list, rolled back on failure, confirmed by the server's unread count.
 */
export function useNotificationActions() {
  const client = useQueryClient();
  const router = useRouter();
  const host = useNotificationHost();
  const mutation = useMutation({
    mutationKey: ACTION_KEY,
    mutationFn: ({ ids, action }: { ids: string[]; action: BatchAction }) => batchRequest(ids, action),
    onMutate: async ({ ids, action }) => {
      await client.cancelQueries({ queryKey: notificationKeys.lists(), predicate: (q) => q.state.data !== undefined });
      const rollback = snapshot(client);
      applyAction(client, ids, action);
      return { rollback };
    },
    onError: (_err, { action }, ctx) => {
      ctx?.rollback();
      toast.error(failed[action]);
    },
    onSuccess: (res) => setCounts(client, res),
    // A list fetched while the change was on its way may predate it (and miss the live event that
    // followed): once the last pending change settles, the lists on screen are read again.
    onSettled: () => {
      if (client.isMutating({ mutationKey: ACTION_KEY }) <= 1) refetchAfterChange(client, notificationKeys.lists());
    },
  });
  const { mutate } = mutation;

  const run = useCallback((ids: string[], action: BatchAction) => {
    if (ids.length) mutate({ ids, action });
  }, [mutate]);

  /**
   * Click on a notification: mark it read and follow its action URL (same-origin path or http(s) only).
   * With an action to follow that is a click-through: one request records it and reads it, sent
   * before navigating and not waited for; the lists are read again once it is done (all of it,
   * counts included, if it failed, which undoes the read shown at once).
   */
  const open = useCallback(
    (n: NotificationDTO) => {
      if (safeActionTarget(n.actionUrl)) {
        if (!n.readAt) applyAction(client, [n.id], "read");
        clickRequest(n.id).then(
          () => refetchAfterChange(client, notificationKeys.lists()),
          () => refetchAfterChange(client, notificationKeys.all),
        );
      } else if (!n.readAt) run([n.id], "read");
      if (host.beforeOpen?.(n) === false) return;
      openActionUrl(n.actionUrl, (path) => router.push(path));
    },
    [client, run, router, host],
  );

  /** Snoozes the item (a group's whole item) until `until`: it leaves the lists and the counts at once. */
  const snooze = useCallback(
    async (n: NotificationDTO, until: Date) => {
      const rollback = snapshot(client);
      const active = !n.readAt && !n.archivedAt && !n.snoozedUntil;
      replaceNotification(client, { ...n, snoozedUntil: until.toISOString() });
      if (active) {
        const c = getCounts(client);
        setCounts(client, { unreadCount: c.unreadCount - 1, unseenCount: c.unseenCount - (n.seenAt ? 0 : 1) });
      }
      try {
        await snoozeRequest(n.id, until.toISOString());
        toast.success(`Snoozed until ${snoozeTimeText(until)}`, { duration: 3_000, testId: "toast-snoozed" });
      } catch {
        rollback();
        toast.error("Could not snooze");
      }
      refetchAfterChange(client, notificationKeys.all);
    },
    [client],
  );

  /** Brings a snoozed item back now (as new). */
  const unsnooze = useCallback(
    async (n: NotificationDTO) => {
      try {
        await snoozeRequest(n.id, null);
      } catch {
        toast.error("Could not unsnooze");
      }
      refetchAfterChange(client, notificationKeys.all);
    },
    [client],
  );

  return { run, open, snooze, unsnooze, pending: mutation.isPending };
}

/** "Mark all as read" and "Clear all": immediate, with a 5-second Undo that restores exactly what changed. */
export function useBulkActions() {
  const client = useQueryClient();

  const perform = useCallback(
    async (kind: "read" | "clear") => {
      const upTo = newestSeenId(client);
      const rollback = snapshot(client);
      const local = cachedNotifications(client).filter((n) => !upTo || Number(n.id) <= Number(upTo));
      applyAction(client, local.filter((n) => (kind === "read" ? !n.readAt : !n.archivedAt)).map((n) => n.id), kind === "read" ? "read" : "archive");
      let res: BulkResult;
      try {
        res = await bulkRequest(kind, upTo);
      } catch (err) {
        rollback();
        toast.error(err instanceof Error ? err.message : "Something went wrong");
        return;
      }
      setCounts(client, res);
      refetchAfterChange(client, notificationKeys.lists());
      const { ids } = res;
      const done = kind === "read" ? "marked as read" : "cleared";
      if (ids.length === 0) {
        toast(kind === "read" ? "Nothing unread" : "Nothing to clear", { duration: 2_500 });
        return;
      }
      const undo = async () => {
        applyAction(client, ids, kind === "read" ? "unread" : "unarchive");
        let back: Counts;
        try {
          back = await batchRequest(ids, kind === "read" ? "unread" : "unarchive");
        } catch (err) {
          toast.error(`Could not undo: ${err instanceof Error ? err.message : "something went wrong"}`);
          return;
        }
        setCounts(client, back);
        // Notifications that were never loaded here come back with the refetch.
        refetchAfterChange(client, notificationKeys.lists());
        toast.success("Restored", { duration: 2_000 });
      };
      toast.success(`${plural(ids.length, "notification")} ${done}`, {
        id: `bulk-${kind}`,
        duration: UNDO_MS,
        testId: "toast-undo",
        action: { label: "Undo", onClick: () => void undo() },
      });
    },
    [client],
  );

  return { markAllRead: () => perform("read"), clearAll: () => perform("clear") };
}
