import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/query-core";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationKeys, type Counts, type ListFilters, type NotificationPage } from "./api";

// The one place that changes cached notifications: live events and mutations both come through here.
// Every cached list (the bell's tabs, the inbox's filters) is kept consistent with each change.

type ListData = InfiniteData<NotificationPage, string | null>;

const isExpired = (n: NotificationDTO, now = Date.now()) => n.expiresAt !== null && new Date(n.expiresAt).getTime() <= now;

/**
 * Whether a notification belongs in a list with these filters (mirrors the API's WHERE). Whether it
 * matches a search only the server knows: a search list is read again instead (refetchSearches).
 */
export function matchesFilters(f: ListFilters, n: NotificationDTO): boolean {
  if (isExpired(n)) return false;
  if (f.groupKey && n.group?.key !== f.groupKey) return false;
  if (f.category && n.category !== f.category) return false;
  if (f.priority && n.priority !== f.priority) return false;
  if (f.q) return searchStatusMatches(f, n);
  const archived = n.archivedAt !== null;
  if (f.status === "archived" ? !archived : archived) return false;
  if (f.status !== "archived" && (f.status === "snoozed") !== (n.snoozedUntil !== null)) return false;
  if (f.status === "unread" && n.readAt) return false;
  if (f.status === "read" && !n.readAt) return false;
  return true;
}

/** Search covers archived and snoozed rows too unless a status narrows it (db/queries/search.ts). */
function searchStatusMatches(f: ListFilters, n: NotificationDTO) {
  switch (f.status) {
    case "unread":
      return !n.readAt && !n.archivedAt && !n.snoozedUntil;
    case "read":
      return n.readAt !== null && !n.archivedAt;
    case "archived":
      return n.archivedAt !== null;
    case "snoozed":
      return n.snoozedUntil !== null && !n.archivedAt;
    default:
      return true;
  }
}

/** Search results are ranked by the server: a new notification may belong anywhere in them, or nowhere. */
function refetchSearches(client: QueryClient) {
  for (const query of client.getQueryCache().findAll({ queryKey: notificationKeys.lists() })) {
    if (((query.queryKey as QueryKey)[2] as ListFilters).q) refetchAfterChange(client, query.queryKey);
  }
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

const isActive = (n: NotificationDTO) => !n.readAt && !n.archivedAt && !n.snoozedUntil;

/** The item of the same group and state that a newer member of the group takes the place of. */
const sameItem = (a: NotificationDTO, b: NotificationDTO) =>
  a.group !== null && b.group !== null && a.group.key === b.group.key && isActive(a) && isActive(b);

/**
 * A new notification: added to every cached list it matches. A new member of a group with unread
 * members replaces the group's item (it is the newest member, and carries the group's count), so
 * the item updates in place instead of a second one appearing; in a member list it is one more row.
 */
export function addNotification(client: QueryClient, n: NotificationDTO) {
  eachList(client, (f, data) => {
    if (f.q) return data;
    if (!matchesFilters(f, n)) return contains(data, n.id) ? without(data, n.id) : data;
    let next = data;
    if (!f.groupKey) {
      const old = data.pages.flatMap((p) => p.items).filter((i) => i.id !== n.id && sameItem(i, n));
      for (const o of old) next = without(next, o.id);
    }
    if (contains(next, n.id)) {
      return { ...next, pages: next.pages.map((p) => ({ ...p, items: p.items.map((i) => (i.id === n.id ? n : i)) })) };
    }
    return withInserted(next, n);
  });
  refetchSearches(client);
}

/** A changed notification: replaced where it still matches, removed where it no longer does, added where it now does. */
export function replaceNotification(client: QueryClient, n: NotificationDTO) {
  eachList(client, (f, data) => {
    const present = contains(data, n.id);
    if (!matchesFilters(f, n)) return present ? without(data, n.id) : data;
    if (!present) return f.q ? data : withInserted(data, n);
    const next = (i: NotificationDTO) => (f.q && i.highlight && !n.highlight ? { ...n, highlight: i.highlight } : n);
    return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.map((i) => (i.id === n.id ? next(i) : i)) })) };
  });
}

export function removeNotification(client: QueryClient, id: string) {
  eachList(client, (_f, data) => without(data, id));
}

/** The server's counts, as the stream or an answer reports them. A count fetch still in flight is older: it is dropped. */
export function setCounts(client: QueryClient, counts: Counts) {
  const key = notificationKeys.unreadCount();
  const set = () =>
    client.setQueryData<Counts>(key, { unreadCount: Math.max(0, counts.unreadCount), unseenCount: Math.max(0, counts.unseenCount ?? 0) });
  if (client.getQueryState(key)?.fetchStatus === "fetching") void client.cancelQueries({ queryKey: key, exact: true }).then(set);
  else set();
}

export function getCounts(client: QueryClient): Counts {
  return client.getQueryData<Counts>(notificationKeys.unreadCount()) ?? { unreadCount: 0, unseenCount: 0 };
}

/** Moves the cached counts by what is known locally (an optimistic change); the server's counts then confirm them. */
function moveCounts(client: QueryClient, unread: number, unseen: number) {
  if (!unread && !unseen) return;
  const c = getCounts(client);
  setCounts(client, { unreadCount: c.unreadCount + unread, unseenCount: c.unseenCount + unseen });
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

/** Drops notifications whose expiry passed and moves the counts by the unread (and unseen) ones among them. */
export function sweepExpired(client: QueryClient, now = Date.now()) {
  const expired = cachedNotifications(client).filter((n) => isExpired(n, now));
  for (const n of expired) removeNotification(client, n.id);
  const unread = expired.filter((n) => isActive(n) && !n.group);
  moveCounts(client, -unread.length, -unread.filter((n) => !n.seenAt).length);
  return expired.length;
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
  let unread = 0;
  let unseen = 0;
  for (const id of ids) {
    const n = known.get(id);
    if (!n) continue;
    const wasUnread = isActive(n);
    const wasUnseen = wasUnread && !n.seenAt;
    if (action === "delete") {
      removeNotification(client, id);
      unread -= wasUnread ? 1 : 0;
      unseen -= wasUnseen ? 1 : 0;
      continue;
    }
    const next: NotificationDTO = {
      ...n,
      readAt: action === "read" ? (n.readAt ?? now) : action === "unread" ? null : n.readAt,
      seenAt: action === "read" ? (n.seenAt ?? now) : n.seenAt,
      archivedAt: action === "archive" ? (n.archivedAt ?? now) : action === "unarchive" ? null : n.archivedAt,
    };
    const isUnread = isActive(next);
    unread += (isUnread ? 1 : 0) - (wasUnread ? 1 : 0);
    unseen += (isUnread && !next.seenAt ? 1 : 0) - (wasUnseen ? 1 : 0);
    replaceNotification(client, next);
  }
  moveCounts(client, unread, unseen);
}
