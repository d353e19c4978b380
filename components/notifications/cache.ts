import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/react-query";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationKeys, type ListFilters, type NotificationPage } from "./api";

// The one place that changes cached notifications: live events and mutations both come through here.
// Every cached list (the bell's tabs, the inbox's filters) is kept consistent with each change.

type ListData = InfiniteData<NotificationPage, string | null>;

const isExpired = (n: NotificationDTO, now = Date.now()) => n.expiresAt !== null && new Date(n.expiresAt).getTime() <= now;

/** Whether a notification belongs in a list with these filters (mirrors the API's WHERE). */
export function matchesFilters(f: ListFilters, n: NotificationDTO): boolean {
  if (isExpired(n)) return false;
  const archived = n.archivedAt !== null;
  if (f.status === "archived" ? !archived : archived) return false;
  if (f.status === "unread" && n.readAt) return false;
  if (f.status === "read" && !n.readAt) return false;
  if (f.category && n.category !== f.category) return false;
  if (f.priority && n.priority !== f.priority) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (!n.title.toLowerCase().includes(q) && !n.body.toLowerCase().includes(q)) return false;
  }
  return true;
}

type Patch = (filters: ListFilters, data: ListData) => ListData;

/**
 * Patches made while a list was being fetched, per client and query. The answer in flight may have
 * been read before the change committed and would overwrite the patch when it lands, so each one
 * is applied again on top of the answer. Patches are idempotent (add if absent, replace, remove).
 */
const duringFetch = new WeakMap<QueryClient, Map<string, Patch[]>>();

function buffersOf(client: QueryClient) {
  let buffers = duringFetch.get(client);
  if (buffers) return buffers;
  const created = new Map<string, Patch[]>();
  duringFetch.set(client, created);
  client.getQueryCache().subscribe((event) => {
    if (event.type === "removed") created.delete(event.query.queryHash);
    if (event.type !== "updated" || event.query.state.fetchStatus !== "idle") return;
    const patches = created.get(event.query.queryHash);
    if (!patches) return;
    created.delete(event.query.queryHash);
    // A fetch's own answer replaces the data; a cancel or an error keeps the patched data.
    if (event.action.type !== "success" || event.action.manual) return;
    const filters = (event.query.queryKey as QueryKey)[2] as ListFilters;
    const answer = event.query.state.data as ListData | undefined;
    if (!answer) return;
    const next = patches.reduce((data, patch) => patch(filters, data), answer);
    if (next !== answer) client.setQueryData(event.query.queryKey, next);
  });
  return created;
}

function eachList(client: QueryClient, fn: Patch) {
  for (const query of client.getQueryCache().findAll({ queryKey: notificationKeys.lists() })) {
    const filters = (query.queryKey as QueryKey)[2] as ListFilters;
    if (query.state.fetchStatus !== "idle") {
      const buffers = buffersOf(client);
      buffers.set(query.queryHash, [...(buffers.get(query.queryHash) ?? []), fn]);
    }
    const data = query.state.data as ListData | undefined;
    if (!data) continue;
    const next = fn(filters, data);
    if (next !== data) client.setQueryData(query.queryKey, next);
  }
}

/**
 * Reads queries again after a change that cannot be patched in (a bulk action, a reconnect). Plain
 * invalidation is not enough in TanStack Query 5: a query without observers (the bell's prefetch) is
 * only marked, and a fetch already in flight, which may predate the change, is kept, lands and
 * clears the mark. So a fetch in flight is cancelled and started again, whoever observes it.
 */
export function refetchAfterChange(client: QueryClient, queryKey: QueryKey = notificationKeys.all) {
  for (const query of client.getQueryCache().findAll({ queryKey })) {
    const exact = { queryKey: query.queryKey, exact: true };
    if (query.state.fetchStatus === "idle") void client.invalidateQueries(exact);
    // Query.fetch, not refetchQueries: the latter skips a query that has never finished a fetch.
    else void client.cancelQueries(exact).then(() => query.fetch().catch(() => {}));
  }
}

const without = (data: ListData, id: string): ListData => {
  if (!data.pages.some((p) => p.items.some((i) => i.id === id))) return data;
  return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((i) => i.id !== id) })) };
};

/**
 * Puts a notification where it belongs by id (newest first). When older pages are still unloaded and
 * it is older than everything loaded, it is left for pagination to bring in.
 */
function withInserted(data: ListData, n: NotificationDTO): ListData {
  const id = Number(n.id);
  const last = data.pages[data.pages.length - 1];
  const loaded = data.pages.flatMap((p) => p.items);
  const oldest = loaded.length ? Number(loaded[loaded.length - 1].id) : Infinity;
  if (last?.nextCursor && id < oldest) return data;
  let placed = false;
  const pages = data.pages.map((p, index) => {
    if (placed) return p;
    const at = p.items.findIndex((i) => Number(i.id) < id);
    if (at === -1 && index < data.pages.length - 1) return p;
    placed = true;
    const items = [...p.items];
    items.splice(at === -1 ? items.length : at, 0, n);
    return { ...p, items };
  });
  if (!placed) return data;
  return { ...data, pages };
}

const contains = (data: ListData, id: string) => data.pages.some((p) => p.items.some((i) => i.id === id));

/** A new notification: added to every cached list it matches. */
export function addNotification(client: QueryClient, n: NotificationDTO) {
  eachList(client, (f, data) => (!contains(data, n.id) && matchesFilters(f, n) ? withInserted(data, n) : data));
}

/** A changed notification: replaced where it still matches, removed where it no longer does, added where it now does. */
export function replaceNotification(client: QueryClient, n: NotificationDTO) {
  eachList(client, (f, data) => {
    const present = contains(data, n.id);
    if (!matchesFilters(f, n)) return present ? without(data, n.id) : data;
    if (!present) return withInserted(data, n);
    return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((i) => (i.id === n.id ? n : i)) })) };
  });
}

export function removeNotification(client: QueryClient, id: string) {
  eachList(client, (_f, data) => without(data, id));
}

/** The server's count, as the stream reports it. A count fetch still in flight is older: it is dropped. */
export function setUnreadCount(client: QueryClient, unreadCount: number) {
  const key = notificationKeys.unreadCount();
  const set = () => client.setQueryData(key, { unreadCount: Math.max(0, unreadCount) });
  if (client.getQueryState(key)?.fetchStatus === "fetching") void client.cancelQueries({ queryKey: key, exact: true }).then(set);
  else set();
}

export function getUnreadCount(client: QueryClient) {
  return client.getQueryData<{ unreadCount: number }>(notificationKeys.unreadCount())?.unreadCount ?? 0;
}

/** Every cached copy of the notifications, newest first, without duplicates. */
export function cachedNotifications(client: QueryClient): NotificationDTO[] {
  const byId = new Map<string, NotificationDTO>();
  for (const [, data] of client.getQueriesData<ListData>({ queryKey: notificationKeys.lists() })) {
    for (const page of data?.pages ?? []) for (const n of page.items) if (!byId.has(n.id)) byId.set(n.id, n);
  }
  return [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id));
}

/** The newest id the user has seen: "mark all" and "clear all" never touch what arrives after the click. */
export function newestSeenId(client: QueryClient): string | undefined {
  return cachedNotifications(client)[0]?.id;
}

/** Drops notifications whose expiry passed; returns how many of them were unread. */
export function sweepExpired(client: QueryClient, now = Date.now()): number {
  const expired = cachedNotifications(client).filter((n) => isExpired(n, now));
  for (const n of expired) removeNotification(client, n.id);
  return expired.filter((n) => !n.readAt && !n.archivedAt).length;
}

/** Snapshot of every notification query, to roll an optimistic change back. */
export function snapshot(client: QueryClient) {
  const saved = client.getQueriesData({ queryKey: notificationKeys.all });
  return () => {
    for (const [key, data] of saved) client.setQueryData(key, data);
  };
}

/**
 * The local effect of an action on every cached copy, with the unread count moved by what is known
 * to change (the server's count then confirms it). Used for optimistic updates.
 */
export function applyAction(client: QueryClient, ids: Iterable<string>, action: "read" | "unread" | "archive" | "unarchive" | "delete") {
  const known = new Map(cachedNotifications(client).map((n) => [n.id, n]));
  const now = new Date().toISOString();
  let delta = 0;
  for (const id of ids) {
    const n = known.get(id);
    if (!n) continue;
    const wasUnread = !n.readAt && !n.archivedAt;
    if (action === "delete") {
      removeNotification(client, id);
      if (wasUnread) delta--;
      continue;
    }
    const next: NotificationDTO = {
      ...n,
      readAt: action === "read" ? (n.readAt ?? now) : action === "unread" ? null : n.readAt,
      archivedAt: action === "archive" ? (n.archivedAt ?? now) : action === "unarchive" ? null : n.archivedAt,
    };
    delta += (!next.readAt && !next.archivedAt ? 1 : 0) - (wasUnread ? 1 : 0);
    replaceNotification(client, next);
  }
  if (delta) setUnreadCount(client, getUnreadCount(client) + delta);
}
