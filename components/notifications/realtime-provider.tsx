"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationsQuery } from "./api";
import { addNotification, removeNotification, replaceNotification, setUnreadCount } from "./cache";
import { showNotificationToast } from "./toasts";

export type ConnectionState =
  | { status: "connecting" }
  | { status: "live" }
  | { status: "reconnecting"; retryAt: number; attempt: number }
  | { status: "offline" };

export type StreamEvent = { type: string; at: number; data: unknown };
type Listener = (event: StreamEvent) => void;

type RealtimeContextValue = {
  connection: ConnectionState;
  reconnect: () => void;
  /** Subscribe to every stream event (the demo's activity log, the chat room's live refresh). */
  subscribe: (listener: Listener) => () => void;
};

const RealtimeContext = createContext<RealtimeContextValue | null>(null);

export function useRealtime() {
  const ctx = useContext(RealtimeContext);
  if (!ctx) throw new Error("useRealtime must be used inside <RealtimeProvider>");
  return ctx;
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/** Opens the SSE stream, keeps the TanStack Query cache in step with it, and fires toasts. */
export function RealtimeProvider({ children }: { children: React.ReactNode }) {
  const client = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const pathRef = useRef(pathname);
  pathRef.current = pathname;
  const [connection, setConnection] = useState<ConnectionState>({ status: "connecting" });
  const listeners = useRef(new Set<Listener>());
  const [generation, setGeneration] = useState(0);
  const generationRef = useRef(generation);
  generationRef.current = generation;

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const reconnect = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: number | undefined;
    let attempt = 0;
    let lastEventId = "";
    let disposed = false;

    const emit = (type: string, data: unknown) => {
      const event = { type, at: Date.now(), data };
      for (const l of listeners.current) l(event);
    };

    const on = (type: string, handle: (data: unknown) => void) =>
      source?.addEventListener(type, (e) => {
        const msg = e as MessageEvent<string>;
        if (msg.lastEventId) lastEventId = msg.lastEventId;
        const data: unknown = JSON.parse(msg.data);
        handle(data);
        emit(type, data);
      });

    const connect = () => {
      if (disposed) return;
      const url = lastEventId
        ? `/api/notifications/stream?lastEventId=${encodeURIComponent(lastEventId)}`
        : "/api/notifications/stream";
      source = new EventSource(url);
      on("ready", () => {
        const wasReconnect = attempt > 0 || generationRef.current > 0;
        attempt = 0;
        setConnection({ status: "live" });
        // Whatever happened while we were away: the list and count are refetched.
        if (wasReconnect) void client.invalidateQueries({ queryKey: notificationsQuery.queryKey });
      });
      on("notification.created", (data) => {
        const n = data as NotificationDTO & { delivery?: { toast: boolean } };
        if (!addNotification(client, n)) return;
        if (n.delivery && !n.delivery.toast) return; // muted category or quiet hours: decided by the server
        if (n.actionUrl && n.actionUrl === pathRef.current) return; // already looking at it
        showNotificationToast(n, (url) => router.push(url));
      });
      on("notification.updated", (data) => replaceNotification(client, data as NotificationDTO));
      on("notification.deleted", (data) => removeNotification(client, (data as { id: string }).id));
      on("notifications.count", (data) => setUnreadCount(client, (data as { unreadCount: number }).unreadCount));
      source.onerror = () => {
        if (!source || source.readyState === EventSource.CONNECTING) {
          setConnection({ status: "reconnecting", retryAt: Date.now() + 2_000, attempt: attempt + 1 });
          attempt++;
          return;
        }
        // Closed for good (server said no, or an error status): we decide when to try again.
        source.close();
        source = null;
        void handleClosed();
      };
    };

    const handleClosed = async () => {
      if (disposed) return;
      // A 401 means the session ended: send the user to sign in rather than retry forever.
      const res = await fetch("/api/auth/session").catch(() => null);
      const session = res?.ok ? ((await res.json()) as { user?: unknown } | null) : null;
      if (res && !session?.user) {
        window.location.href = `/signin?callbackUrl=${encodeURIComponent(window.location.pathname)}`;
        return;
      }
      attempt++;
      const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (attempt - 1));
      const delay = base / 2 + Math.random() * (base / 2);
      setConnection(navigator.onLine ? { status: "reconnecting", retryAt: Date.now() + delay, attempt } : { status: "offline" });
      timer = window.setTimeout(connect, delay);
    };

    const onOnline = () => {
      if (source) return;
      window.clearTimeout(timer);
      connect();
    };
    const onOffline = () => setConnection({ status: "offline" });
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    connect();
    return () => {
      disposed = true;
      window.clearTimeout(timer);
      source?.close();
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
    };
  }, [client, router, generation]);

  const value = useMemo(() => ({ connection, reconnect, subscribe }), [connection, reconnect, subscribe]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}
