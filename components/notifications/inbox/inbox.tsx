"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import type { NotificationCategory, NotificationPriority } from "@/db/schema";
import { NOTIFICATION_CATEGORIES, NOTIFICATION_PRIORITIES } from "@/lib/notifications/constants";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { ArchiveIcon, CheckIcon, MailIcon, SearchIcon, TrashIcon, UnarchiveIcon, XIcon } from "@/components/ui/icons";
import { notificationListQuery, unreadCountQuery, type BatchAction, type ListFilters, type NotificationStatus } from "@/sdk/client/src/api";
import { ConnectionIndicator } from "../connection-indicator";
import { badgeText, plural } from "../format";
import { CategorySelect, PrioritySelect } from "../filter-select";
import { MarkAllReadButton } from "../mark-all-button";
import { NotificationList } from "../notification-list";
import { useMarkSeen } from "../use-mark-seen";
import { useBulkActions, useNotificationActions } from "../use-notification-actions";

const STATUSES: { value: NotificationStatus; label: string }[] = [
  { value: "all", label: "All" },
  { value: "unread", label: "Unread" },
  { value: "read", label: "Read" },
  { value: "snoozed", label: "Snoozed" },
  { value: "archived", label: "Archived" },
];

function filtersFrom(params: URLSearchParams): ListFilters {
  const status = params.get("status");
  const category = params.get("category");
  const priority = params.get("priority");
  return {
    status: STATUSES.some((s) => s.value === status) ? (status as NotificationStatus) : "all",
    ...(NOTIFICATION_CATEGORIES.includes(category as NotificationCategory) ? { category: category as NotificationCategory } : {}),
    ...(NOTIFICATION_PRIORITIES.includes(priority as NotificationPriority) ? { priority: priority as NotificationPriority } : {}),
    ...(params.get("q")?.trim() ? { q: params.get("q")!.trim() } : {}),
  };
}

const select =
  "rounded-lg border border-zinc-300 bg-white py-1.5 pl-2.5 pr-8 text-sm text-zinc-800 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200";

/** The full inbox: filters in the URL (shareable), text search, bulk selection and actions, archive. */
export function Inbox() {
  const params = useSearchParams();
  const pathname = usePathname();
  const filters = useMemo(() => filtersFrom(new URLSearchParams(params.toString())), [params]);
  const [search, setSearch] = useState(filters.q ?? "");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const { data: count } = useQuery(unreadCountQuery);
  useMarkSeen(true);
  const { data } = useInfiniteQuery(notificationListQuery(filters));
  const { run } = useNotificationActions();
  const { markAllRead } = useBulkActions();
  const items = useMemo(() => data?.pages.flatMap((p) => p.items) ?? [], [data]);
  const chosen = items.filter((n) => selected.has(n.id));
  const filterKey = JSON.stringify(filters);
  const lastFilterKey = useRef(filterKey);

  // The native history API updates useSearchParams without a server round trip, and the URL at
  // once, so two quick changes build on each other rather than on a stale render.
  const setParams = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (next.get("status") === "all") next.delete("status");
    const qs = next.toString();
    window.history.replaceState(null, "", qs ? `${pathname}?${qs}` : pathname);
  };

  // The search box writes to the URL once typing pauses.
  useEffect(() => {
    if ((filters.q ?? "") === search.trim()) return;
    const t = setTimeout(() => setParams({ q: search.trim() || undefined }), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  // A selection belongs to one view.
  useEffect(() => {
    if (lastFilterKey.current === filterKey) return;
    lastFilterKey.current = filterKey;
    setSelected(new Set());
  }, [filterKey]);

  const toggle = (n: NotificationDTO, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(n.id);
      else next.delete(n.id);
      return next;
    });
  const allChosen = items.length > 0 && chosen.length === items.length;

  const bulk = (action: BatchAction) => {
    const ids = chosen.map((n) => n.id);
    run(ids, action);
    setSelected(new Set());
    if (action === "archive") {
      toast.success(`${plural(ids.length, "notification")} archived`, {
        duration: 5_000,
        action: { label: "Undo", onClick: () => run(ids, "unarchive") },
      });
    } else if (action === "delete") {
      toast.success(`${plural(ids.length, "notification")} deleted`, { duration: 3_000 });
    }
  };

  const archivedView = filters.status === "archived";
  const unread = count?.unreadCount ?? 0;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Inbox</h1>
          <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">
            {unread > 0 ? `${plural(unread, "unread notification")}` : "You’re all caught up."}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <ConnectionIndicator />
          <MarkAllReadButton
            unread={unread}
            onClick={() => void markAllRead()}
            className="inline-flex items-center gap-1.5 rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium shadow-sm hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
            iconClassName="size-4"
          />
        </div>
      </div>

      <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex flex-col gap-3 border-b border-zinc-200 p-3 lg:flex-row lg:items-center dark:border-zinc-800">
          <div role="group" aria-label="Status" className="flex shrink-0 rounded-lg bg-zinc-100 p-0.5 dark:bg-zinc-800">
            {STATUSES.map((s) => (
              <button
                key={s.value}
                type="button"
                aria-pressed={filters.status === s.value}
                onClick={() => setParams({ status: s.value })}
                className={`flex-1 rounded-md px-3 py-1 text-sm font-medium sm:flex-none ${
                  filters.status === s.value
                    ? "bg-white text-zinc-950 shadow-sm dark:bg-zinc-950 dark:text-white"
                    : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
                }`}
              >
                {s.label}
                {s.value === "unread" && unread > 0 ? <span className="ml-1 text-xs tabular-nums text-zinc-600 dark:text-zinc-400">{badgeText(unread)}</span> : null}
              </button>
            ))}
          </div>
          <div className="flex flex-1 flex-wrap gap-2">
            <label className="relative min-w-48 flex-1">
              <span className="sr-only">Search notifications</span>
              <SearchIcon className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-zinc-400" />
              <input
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Search titles, people and text"
                maxLength={200}
                className="w-full rounded-lg border border-zinc-300 bg-white py-1.5 pl-8 pr-3 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/20 dark:border-zinc-700 dark:bg-zinc-950"
              />
            </label>
            <CategorySelect value={filters.category} onChange={(category) => setParams({ category })} className={select} />
            <PrioritySelect value={filters.priority} onChange={(priority) => setParams({ priority })} className={select} />
          </div>
        </div>

        <div className="flex min-h-12 flex-wrap items-center gap-2 border-b border-zinc-200 bg-zinc-50/70 px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900/60">
          <label className="flex items-center gap-2 pl-0.5 text-sm text-zinc-600 dark:text-zinc-400">
            <input
              type="checkbox"
              className="size-4 accent-indigo-600"
              checked={allChosen}
              ref={(el) => {
                if (el) el.indeterminate = chosen.length > 0 && !allChosen;
              }}
              disabled={items.length === 0}
              onChange={(e) => setSelected(e.target.checked ? new Set(items.map((n) => n.id)) : new Set())}
            />
            {chosen.length > 0 ? <span aria-live="polite">{chosen.length} selected</span> : <span>Select all</span>}
          </label>
          {chosen.length > 0 ? (
            <div role="toolbar" aria-label="Bulk actions" className="flex flex-wrap items-center gap-1 sm:ml-2">
              <BulkButton onClick={() => bulk("read")} icon={<CheckIcon className="size-3.5" />} label="Mark read" />
              <BulkButton onClick={() => bulk("unread")} icon={<MailIcon className="size-3.5" />} label="Mark unread" />
              {archivedView ? (
                <>
                  <BulkButton onClick={() => bulk("unarchive")} icon={<UnarchiveIcon className="size-3.5" />} label="Restore" />
                  <BulkButton onClick={() => bulk("delete")} icon={<TrashIcon className="size-3.5" />} label="Delete forever" danger />
                </>
              ) : (
                <BulkButton onClick={() => bulk("archive")} icon={<ArchiveIcon className="size-3.5" />} label="Archive" />
              )}
              <button
                type="button"
                onClick={() => setSelected(new Set())}
                aria-label="Clear selection"
                className="grid size-7 place-items-center rounded-md text-zinc-500 hover:bg-zinc-200 dark:text-zinc-400 dark:hover:bg-zinc-800"
              >
                <XIcon className="size-3.5" />
              </button>
            </div>
          ) : null}
        </div>

        <NotificationList
          filters={filters}
          variant="full"
          label="Inbox"
          emptyTitle={emptyTitle(filters)}
          emptyHint={filters.q ? "Try other words, or clear the filters." : archivedView ? "Archived notifications are kept here." : undefined}
          selection={{ selected, toggle }}
        />
      </div>
    </div>
  );
}

function emptyTitle(f: ListFilters) {
  if (f.q) return `Nothing matches “${f.q}”`;
  if (f.status === "archived") return "Nothing archived";
  if (f.status === "snoozed") return "Nothing snoozed";
  if (f.status === "unread") return "No unread notifications";
  if (f.category || f.priority) return "Nothing matches these filters";
  return "No notifications yet";
}

function BulkButton({ onClick, icon, label, danger }: { onClick: () => void; icon: React.ReactNode; label: string; danger?: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      className={`inline-flex items-center gap-1.5 rounded-md px-2.5 py-1 text-sm font-medium hover:bg-zinc-200/80 dark:hover:bg-zinc-800 ${
        danger ? "text-red-700 dark:text-red-400" : "text-zinc-700 dark:text-zinc-300"
      }`}
    >
      {icon}
      {label}
    </button>
  );
}
