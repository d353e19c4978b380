"use client";

import { useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { RealtimeConnection, type ConnectionState, type StreamEvent } from "./realtime/connection";
import { handleStreamEvent } from "./realtime/handle-event";

export type { ConnectionState, StreamEvent };
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

/** Opens the live stream for the page's lifetime and routes its events into the query cache. */
export function RealtimeProvider({ children }: { children: React.ReactNode }) {
  const client = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const pathRef = useRef(pathname);
  pathRef.current = pathname;
  const [connection, setConnection] = useState<ConnectionState>({ status: "connecting" });
  const listeners = useRef(new Set<Listener>());
  const conn = useRef<RealtimeConnection | null>(null);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const reconnect = useCallback(() => conn.current?.reconnect(), []);

  useEffect(() => {
    let everLive = false;
    const connection = new RealtimeConnection({
      onEvent(event) {
        const reconnected = event.type === "ready" && everLive;
        if (event.type === "ready") everLive = true;
        handleStreamEvent(event, { client, pathname: pathRef.current, navigate: (url) => router.push(url), reconnected });
        for (const l of listeners.current) l(event);
      },
      onState: setConnection,
      onUnauthorized() {
        window.location.href = `/signin?callbackUrl=${encodeURIComponent(window.location.pathname)}`;
      },
    });
    conn.current = connection;
    connection.start();
    return () => connection.stop();
  }, [client, router]);

  const value = useMemo(() => ({ connection, reconnect, subscribe }), [connection, reconnect, subscribe]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}
