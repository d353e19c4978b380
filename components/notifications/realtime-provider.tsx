"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { NotificationDTO } from "@/lib/notifications/dto";
import { notificationKeys } from "@/sdk/client/src/api";
import { LiveAnnouncer } from "./announcer";
import { refetchAfterChange, sweepExpired } from "@/sdk/client/src/cache";
import { RealtimeConnection, type ConnectionState, type StreamEvent } from "@/sdk/client/src/connection";
import { useNotificationHost } from "./host-context";
import { handleStreamEvent } from "./realtime/handle-event";
import { prepareSound } from "./sound";
import { startTabPresence } from "@/sdk/client/src/tab-presence";
import { transport } from "@/sdk/client/src/transport";
import { useNotificationActions } from "./use-notification-actions";

export type { ConnectionState, StreamEvent };
type Listener = (event: StreamEvent) => void;

type RealtimeContextValue = {
  connection: ConnectionState;
  reconnect: () => void;
  /** Subscribe to every stream event (the demo's activity log, the chat's live refresh). */
  subscribe: (listener: Listener) => () => void;
};

const RealtimeContext = createContext<RealtimeContextValue | null>(null);

export function useRealtime() {
  const ctx = useContext(RealtimeContext);
  if (!ctx) throw new Error("useRealtime must be used inside <RealtimeProvider>");
  return ctx;
}

const SWEEP_MS = 2_000;

/** Opens the live stream for the page's lifetime and routes its events into the query cache. */
export function RealtimeProvider({ children, resumeCursor }: { children: React.ReactNode; resumeCursor?: string | null }) {
  const client = useQueryClient();
  const router = useRouter();
  const { inbox } = useNotificationHost();
  const pathname = usePathname();
  const pathRef = useRef(pathname);
  const { open } = useNotificationActions();
  const openRef = useRef(open);
  const [connection, setConnection] = useState<ConnectionState>({ status: "connecting" });
  const listeners = useRef(new Set<Listener>());
  const conn = useRef<RealtimeConnection | null>(null);
  // Only the first render's cursor matters: later renders (router.refresh) must not restart the stream.
  const renderedCursor = useRef(resumeCursor ?? null);

  useEffect(() => {
    pathRef.current = pathname;
    openRef.current = open;
  });

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const reconnect = useCallback(() => conn.current?.reconnect(), []);

  useEffect(() => {
    startTabPresence();
    prepareSound();
    let everLive = false;
    const connection = new RealtimeConnection({
      resumeFrom: renderedCursor.current,
      onEvent(event) {
        const reconnected = event.type === "ready" && everLive;
        if (event.type === "ready") everLive = true;
        handleStreamEvent(event, {
          client,
          pathname: pathRef.current,
          viewAll: () => (inbox?.open ? inbox.open() : router.push("/notifications")),
          reconnected,
          isLeader: () => connection.isLeader(),
          open: (n: NotificationDTO) => openRef.current(n),
        });
        for (const l of listeners.current) l(event);
      },
      onState: setConnection,
      // A tab that rendered before it could hear the leader's relay missed what fell in between.
      onMissed: () => refetchAfterChange(client, notificationKeys.all),
      onUnauthorized: () => transport().unauthorized(),
    });
    conn.current = connection;
    connection.start();
    return () => connection.stop();
  }, [client, router, inbox]);

  // Expired notifications leave the lists on time (the server hides them too, but sends no event).
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      if (sweepExpired(client) > 0) refetchAfterChange(client, notificationKeys.unreadCount());
    }, SWEEP_MS);
    return () => clearInterval(timer);
  }, [client]);

  const value = useMemo(() => ({ connection, reconnect, subscribe }), [connection, reconnect, subscribe]);
  return (
    <RealtimeContext.Provider value={value}>
      {children}
      <LiveAnnouncer />
    </RealtimeContext.Provider>
  );
}
