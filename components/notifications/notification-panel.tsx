"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { NotificationCategory } from "@/db/schema";
import { ArchiveIcon, SlidersIcon } from "@/components/ui/icons";
import type { ListFilters } from "@/sdk/client/src/api";
import { ConnectionIndicator } from "./connection-indicator";
import { badgeText } from "./format";
import { CategorySelect } from "./filter-select";
import { MarkAllReadButton } from "./mark-all-button";
import { CATEGORY_META } from "./meta";
import { useNotificationHost } from "./host-context";
import { NotificationList } from "./notification-list";
import { useBulkActions } from "./use-notification-actions";

const NAV_KEYS = new Set(["ArrowDown", "ArrowUp", "Home", "End"]);

type PanelProps = {
  id: string;
  headingId: string;
  panelRef: React.RefObject<HTMLDivElement | null>;
  unread: number;
  focusFirst: React.RefObject<boolean>;
  onClose: (returnFocus: boolean) => void;
};

/** The bell's dropdown: a non-modal dialog with tabs, a category filter, the list and bulk actions. */
export function NotificationPanel({ id, headingId, panelRef, unread, focusFirst, onClose }: PanelProps) {
  const [tab, setTab] = useState<"all" | "unread">("all");
  const [category, setCategory] = useState<NotificationCategory | "">("");
  const { markAllRead, clearAll } = useBulkActions();
  const { embedded } = useNotificationHost();
  const tabRefs = useRef<Record<"all" | "unread", HTMLButtonElement | null>>({ all: null, unread: null });
  const filters: ListFilters = { status: tab, ...(category ? { category } : {}) };

  const navItems = () => [...(panelRef.current?.querySelectorAll<HTMLElement>("[data-nav-item]") ?? [])];

  // On open, focus goes to the first notification. While the list is still loading it waits on the
  // tabs, and moves to the first notification when it renders, unless the user has moved on meanwhile.
  useEffect(() => {
    if (!focusFirst.current) return;
    focusFirst.current = false;
    const first = navItems()[0];
    if (first) return void first.focus();
    const waiting = tabRefs.current.all;
    waiting?.focus();
    const panel = panelRef.current;
    if (!panel || !waiting) return;
    const observer = new MutationObserver(() => {
      const item = navItems()[0];
      if (!item) return;
      observer.disconnect();
      // The panel's own root: a shadow root hides its focused element from document.activeElement.
      if ((panel.getRootNode() as Document | ShadowRoot).activeElement === waiting) item.focus();
    });
    observer.observe(panel, { childList: true, subtree: true });
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      onClose(true);
      return;
    }
    const target = e.target as HTMLElement;
    if (!NAV_KEYS.has(e.key) || target.tagName === "SELECT" || target.getAttribute("role") === "tab") return;
    const items = navItems();
    if (items.length === 0) return;
    e.preventDefault();
    const at = items.indexOf(target.closest("li")?.querySelector<HTMLElement>("[data-nav-item]") ?? target);
    const next =
      e.key === "Home" ? 0 : e.key === "End" ? items.length - 1 : at === -1 ? 0 : e.key === "ArrowDown" ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);
    items[next].focus();
    // Braces matter: newer Chromium returns a Promise from scrollIntoView.
    void items[next].scrollIntoView({ block: "nearest" });
  };

  const onTabKey = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      const next = tab === "all" ? "unread" : "all";
      setTab(next);
      tabRefs.current[next]?.focus();
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      navItems()[0]?.focus();
    }
  };

  return (
    <div
      ref={panelRef}
      id={id}
      role="dialog"
      aria-labelledby={headingId}
      onKeyDown={onKeyDown}
      onBlur={(e) => {
        // Tabbing out of the dropdown closes it (clicks elsewhere are handled by the pointer listener).
        const next = e.relatedTarget as Node | null;
        if (next && !panelRef.current?.contains(next) && !(next as HTMLElement).closest?.("[data-sonner-toaster]")) onClose(false);
      }}
      className="fixed inset-x-2 top-16 z-50 flex max-h-[calc(100dvh-5rem)] flex-col overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-2xl shadow-zinc-900/10 sm:absolute sm:inset-x-auto sm:right-0 sm:top-full sm:mt-2 sm:max-h-[min(40rem,calc(100dvh-6rem))] sm:w-[26rem] dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-black/40"
    >
      <div className="flex items-center justify-between gap-3 px-4 pb-2 pt-3">
        <h2 id={headingId} className="font-semibold">
          Notifications
        </h2>
        <div className="flex items-center gap-2">
          <ConnectionIndicator />
          {embedded ? null : <Link
            href="/settings/notifications"
            onClick={() => onClose(false)}
            aria-label="Notification settings"
            title="Notification settings"
            className="grid size-8 place-items-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          >
            <SlidersIcon />
          </Link>}
        </div>
      </div>
      <div className="flex items-center justify-between gap-2 border-b border-zinc-200 px-4 dark:border-zinc-800">
        <div role="tablist" aria-label="Show" className="-mb-px flex gap-4">
          {(["all", "unread"] as const).map((t) => (
            <button
              key={t}
              ref={(el) => {
                tabRefs.current[t] = el;
              }}
              type="button"
              role="tab"
              aria-selected={tab === t}
              tabIndex={tab === t ? 0 : -1}
              onClick={() => setTab(t)}
              onKeyDown={onTabKey}
              className={`border-b-2 py-2 text-sm font-medium outline-none focus-visible:text-indigo-600 ${
                tab === t
                  ? "border-indigo-600 text-zinc-950 dark:border-indigo-400 dark:text-white"
                  : "border-transparent text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200"
              }`}
            >
              {t === "all" ? "All" : "Unread"}
              {t === "unread" && unread > 0 ? (
                <span className="ml-1.5 rounded-full bg-zinc-100 px-1.5 text-xs tabular-nums text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
                  {badgeText(unread)}
                </span>
              ) : null}
            </button>
          ))}
        </div>
        <CategorySelect
          value={category || undefined}
          onChange={(c) => setCategory(c ?? "")}
          className="my-1.5 rounded-md border border-zinc-200 bg-white py-1 pl-2 pr-7 text-xs text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
        />
      </div>
      <div role="tabpanel" aria-label={tab === "all" ? "All notifications" : "Unread notifications"} className="min-h-0 flex-1 overflow-y-auto overscroll-contain">
        <NotificationList
          filters={filters}
          label="Notifications"
          emptyTitle={tab === "unread" ? "You’re all caught up" : category ? `No ${CATEGORY_META[category].label.toLowerCase()} notifications` : "No notifications yet"}
          emptyHint={tab === "unread" ? "New notifications will show up here as they arrive." : "When something happens, you’ll hear about it here first."}
          onOpened={() => onClose(false)}
        />
      </div>
      <div className="flex items-center gap-1 border-t border-zinc-200 bg-zinc-50/80 px-2 py-1.5 dark:border-zinc-800 dark:bg-zinc-900">
        <MarkAllReadButton
          unread={unread}
          onClick={() => void markAllRead()}
          className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-xs font-medium text-zinc-700 hover:bg-zinc-200/70 disabled:opacity-40 disabled:hover:bg-transparent dark:text-zinc-300 dark:hover:bg-zinc-800"
          iconClassName="size-3.5"
        />
        <button
          type="button"
          onClick={() => void clearAll()}
          className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-xs font-medium text-zinc-700 hover:bg-zinc-200/70 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <ArchiveIcon className="size-3.5" /> Clear all
        </button>
        {embedded ? null : <Link
          href="/notifications"
          onClick={() => onClose(false)}
          className="ml-auto rounded-md px-2.5 py-1.5 text-xs font-medium text-indigo-600 hover:bg-indigo-50 dark:text-indigo-400 dark:hover:bg-indigo-950"
        >
          View all
        </Link>}
      </div>
    </div>
  );
}
