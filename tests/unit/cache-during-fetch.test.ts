import { InfiniteQueryObserver, QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { notificationKeys, notificationListQuery, unreadCountQuery, type ListFilters, type NotificationPage } from "@/sdk/client/src/api";
import { addNotification, getCounts, removeNotification, replaceNotification, setCounts } from "@/sdk/client/src/cache";
import { handleStreamEvent } from "@/components/notifications/realtime/handle-event";
import type { NotificationDTO } from "@/lib/notifications/dto";

// A real QueryClient (TanStack Query 5 runs in Node) whose fetches answer when the test says so:
// each answer is what the server read before the live change under test committed.

const dto = (id: number, extra: Partial<NotificationDTO> = {}): NotificationDTO => ({
  id: String(id),
  category: "general",
  priority: "normal",
  title: `n${id}`,
  body: "",
  actionUrl: null,
  actionLabel: null,
  actor: null,
  subject: null,
  via: null,
  metadata: {},
  createdAt: new Date().toISOString(),
  readAt: null,
  archivedAt: null,
  expiresAt: null,
  seenAt: null,
  snoozedUntil: null,
  clickedAt: null,
  group: null,
  ...extra,
});
const page = (...items: NotificationDTO[]): NotificationPage => ({ items, nextCursor: null, unreadCount: 0, unseenCount: 0 });

/** Fetches held open until `answer()`; they read the abort signal, as the app's fetcher does. */
function heldServer<T>() {
  const waiting: ((value: T) => void)[] = [];
  let calls = 0;
  return {
    queryFn: ({ signal }: { signal: AbortSignal }) => {
      calls++;
      void signal;
      return new Promise<T>((resolve) => waiting.push(resolve));
    },
    /** Answers every fetch still waiting (a cancelled one's answer is ignored by the client). */
    answer(value: T) {
      if (!waiting.length) throw new Error("no fetch is waiting");
      for (const resolve of waiting.splice(0)) resolve(value);
    },
    get calls() {
      return calls;
    },
  };
}

const listIds = (client: QueryClient, filters: ListFilters) =>
  client.getQueryData<{ pages: NotificationPage[] }>(notificationKeys.list(filters))?.pages.flatMap((p) => p.items.map((i) => Number(i.id)));
const settle = () => new Promise((r) => setTimeout(r, 0));
const newClient = () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } });
const ctx = (client: QueryClient, reconnected = false) => ({
  client,
  pathname: "/",
  viewAll: () => {},
  reconnected,
  isLeader: () => true,
  open: () => {},
});

describe("a live change that lands while a list is being fetched is never lost", () => {
  it("the bell's prefetch (no observer, no data yet): a new notification survives the stale answer", async () => {
    const client = newClient();
    const server = heldServer<NotificationPage>();
    const filters: ListFilters = { status: "all" };
    const prefetched = client.prefetchInfiniteQuery({ ...notificationListQuery(filters), queryFn: server.queryFn });
    addNotification(client, dto(7));
    server.answer(page(dto(5)));
    await prefetched;
    expect(listIds(client, filters)).toEqual([7, 5]);
  });

  it("an inbox list with filters and an observer: only what matches is added", async () => {
    const client = newClient();
    const server = heldServer<NotificationPage>();
    const filters: ListFilters = { status: "unread", category: "task" };
    const observer = new InfiniteQueryObserver(client, { ...notificationListQuery(filters), queryFn: server.queryFn });
    const stop = observer.subscribe(() => {});
    addNotification(client, dto(9, { category: "task" }));
    addNotification(client, dto(10, { category: "report" }));
    server.answer(page(dto(3, { category: "task" })));
    await settle();
    expect(listIds(client, filters)).toEqual([9, 3]);
    stop();
  });

  it("a refetch of loaded data: updates and deletions are applied on top of the answer", async () => {
    const client = newClient();
    const server = heldServer<NotificationPage>();
    const filters: ListFilters = { status: "unread" };
    const observer = new InfiniteQueryObserver(client, { ...notificationListQuery(filters), queryFn: server.queryFn });
    const stop = observer.subscribe(() => {});
    server.answer(page(dto(4), dto(3), dto(2)));
    await settle();
    void observer.refetch();
    replaceNotification(client, dto(4, { readAt: new Date().toISOString() }));
    removeNotification(client, "2");
    server.answer(page(dto(4), dto(3), dto(2)));
    await settle();
    expect(listIds(client, filters)).toEqual([3]);
    stop();
  });

  it("a fetch cancelled when the dropdown closes keeps the patch", async () => {
    const client = newClient();
    const server = heldServer<NotificationPage>();
    const filters: ListFilters = { status: "all" };
    const observer = new InfiniteQueryObserver(client, { ...notificationListQuery(filters), queryFn: server.queryFn });
    const stop = observer.subscribe(() => {});
    server.answer(page(dto(1)));
    await settle();
    void observer.refetch();
    addNotification(client, dto(2));
    stop(); // the last observer leaves: the fetch is cancelled and the state reverted
    await settle();
    expect(listIds(client, filters)).toEqual([2, 1]);
  });

  it("a bulk change during the prefetch: the stale answer is replaced by a fresh read", async () => {
    const client = newClient();
    const server = heldServer<NotificationPage>();
    const filters: ListFilters = { status: "all" };
    void client.prefetchInfiniteQuery({ ...notificationListQuery(filters), queryFn: server.queryFn });
    handleStreamEvent({ type: "notifications.updated", at: Date.now(), data: { ids: ["1", "2"] } }, ctx(client));
    await settle();
    expect(server.calls).toBe(2);
    server.answer(page(dto(2), dto(1, { readAt: new Date().toISOString() })));
    await settle();
    expect(listIds(client, filters)).toEqual([2, 1]);
    expect(client.getQueryState(notificationKeys.list(filters))?.isInvalidated).toBe(false);
  });

  it("a reconnect during a first load reads every list and the count again", async () => {
    const client = newClient();
    const lists = heldServer<NotificationPage>();
    const counts = heldServer<{ unreadCount: number; unseenCount: number }>();
    const filters: ListFilters = { status: "all" };
    void client.prefetchInfiniteQuery({ ...notificationListQuery(filters), queryFn: lists.queryFn });
    const count = new QueryObserver(client, { ...unreadCountQuery, queryFn: counts.queryFn });
    const stop = count.subscribe(() => {});
    handleStreamEvent({ type: "ready", at: Date.now(), data: { at: new Date().toISOString() } }, ctx(client, true));
    await settle();
    expect([lists.calls, counts.calls]).toEqual([2, 2]);
    lists.answer(page(dto(1)));
    counts.answer({ unreadCount: 1, unseenCount: 1 });
    await settle();
    expect(listIds(client, filters)).toEqual([1]);
    expect(getCounts(client).unreadCount).toBe(1);
    stop();
  });

  it("the count: the stream's number wins over a count fetch in flight", async () => {
    const client = newClient();
    const counts = heldServer<{ unreadCount: number; unseenCount: number }>();
    const observer = new QueryObserver(client, { ...unreadCountQuery, queryFn: counts.queryFn });
    const stop = observer.subscribe(() => {});
    counts.answer({ unreadCount: 3, unseenCount: 3 });
    await settle();
    void observer.refetch();
    setCounts(client, { unreadCount: 4, unseenCount: 4 });
    await settle();
    expect(getCounts(client).unreadCount).toBe(4);
    stop();
  });
});
