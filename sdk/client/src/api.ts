import type { NotificationCategory, NotificationPriority } from "@/db/schema";
import type { NotificationDTO } from "@/lib/notifications/dto";
import type { BatchAction } from "@/lib/validations/notifications";
import { transport } from "./transport";

/** Unread items (a group counts once) and unread items not yet seen (the badge). */
export type Counts = { unreadCount: number; unseenCount: number };
export type NotificationPage = { items: NotificationDTO[]; nextCursor: string | null } & Counts;
export type NotificationStatus = "all" | "unread" | "read" | "archived" | "snoozed";
/** What a list shows; part of its query key, and what live events are matched against. */
export type ListFilters = {
  status: NotificationStatus;
  category?: NotificationCategory;
  priority?: NotificationPriority;
  q?: string;
  /** One group's members, one by one (the expander). */
  groupKey?: string;
};
export type { BatchAction };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await transport().fetch(url, {
    ...init,
    headers: { ...(init?.body ? { "Content-Type": "application/json" } : {}), ...init?.headers },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? res.statusText);
  }
  return (res.status === 204 ? null : await res.json()) as T;
}

/** Every notification query key starts with this: invalidating it refreshes the whole center. */
export const notificationKeys = {
  all: ["notifications"] as const,
  lists: () => [...notificationKeys.all, "list"] as const,
  list: (filters: ListFilters) => [...notificationKeys.lists(), normalizeFilters(filters)] as const,
  unreadCount: () => [...notificationKeys.all, "unread-count"] as const,
};

export function normalizeFilters(f: ListFilters): ListFilters {
  const q = f.q?.trim();
  return {
    status: f.status,
    ...(f.category ? { category: f.category } : {}),
    ...(f.priority ? { priority: f.priority } : {}),
    ...(q ? { q } : {}),
    ...(f.groupKey ? { groupKey: f.groupKey } : {}),
  };
}

export const PAGE_SIZE = 20;

/** Newest first, one cursor page at a time (`before` = the cursor the previous page returned). */
export const notificationListQuery = (filters: ListFilters) => ({
  queryKey: notificationKeys.list(filters),
  queryFn: ({ pageParam, signal }: { pageParam: string | null; signal: AbortSignal }) => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE), ...normalizeFilters(filters) });
    if (pageParam) params.set("before", pageParam);
    return fetchJson<NotificationPage>(`/api/notifications?${params}`, { signal });
  },
  initialPageParam: null as string | null,
  getNextPageParam: (last: NotificationPage) => last.nextCursor,
});

export const unreadCountQuery = {
  queryKey: notificationKeys.unreadCount(),
  queryFn: ({ signal }: { signal: AbortSignal }) => fetchJson<Counts>("/api/notifications/unread-count", { signal, cache: "no-store" }),
  // Kept fresh by the stream's `notifications.count` events; refetched after a reconnect.
  staleTime: Infinity,
};

/** Applies one action to many notifications, 500 ids per request (the API's cap). */
export async function batchRequest(ids: string[], action: BatchAction) {
  let result: { updated: number } & Counts = { updated: 0, unreadCount: 0, unseenCount: 0 };
  for (let i = 0; i < ids.length; i += 500) {
    const res = await fetchJson<{ updated: number } & Counts>("/api/notifications/batch", {
      method: "POST",
      body: JSON.stringify({ ids: ids.slice(i, i + 500), action }),
    });
    result = { updated: result.updated + res.updated, unreadCount: res.unreadCount, unseenCount: res.unseenCount };
  }
  return result;
}

/** The bell or inbox showed everything up to `upTo`: it leaves the badge (unread dots stay). */
export const markSeenRequest = (upTo?: string) =>
  fetchJson<{ updated: number } & Counts>("/api/notifications/seen", { method: "POST", body: JSON.stringify(upTo ? { upTo } : {}) });

/** Snoozes the item (a group's whole item) until `until`, or wakes it now with null. */
export const snoozeRequest = (id: string, until: string | null) =>
  fetchJson<NotificationDTO>(`/api/notifications/${id}`, { method: "PATCH", body: JSON.stringify({ snoozedUntil: until }) });

/**
 * Its action was opened: records the click-through (`clickedAt`, the first time) and reads it. Sent
 * as the navigation starts and never awaited by it; `keepalive` lets it outlive the page. Same-origin
 * with the cookie, like every mutating fetch here (the browser adds Sec-Fetch-Site and Origin).
 */
export const clickRequest = (id: string) =>
  fetchJson<NotificationDTO>(`/api/notifications/${encodeURIComponent(id)}/click`, { method: "POST", keepalive: true, credentials: "same-origin" });

export type BulkResult = { updated: number; ids: string[] } & Counts;

/** "Mark all as read" or "Clear all" up to the newest notification the user saw; `ids` are what an undo restores. */
export const bulkRequest = (kind: "read" | "clear", upTo?: string) =>
  fetchJson<BulkResult>(kind === "read" ? "/api/notifications/read-all" : "/api/notifications/archive-all", {
    method: "POST",
    body: JSON.stringify(upTo ? { upTo } : {}),
  });
