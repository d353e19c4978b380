"use client";

import { useRouter, useSelectedLayoutSegment } from "next/navigation";
import { useEffect, useRef } from "react";
import { useRealtime } from "@/components/notifications/realtime-provider";

/** Two panes on a wide screen; on a phone, the list at /chat and the room alone at /chat/{id}. */
export function ChatShell({ list, children }: { list: React.ReactNode; children: React.ReactNode }) {
  const inRoom = useSelectedLayoutSegment() !== null;
  return (
    <div className="grid gap-4 md:h-[calc(100dvh-7.5rem)] md:grid-cols-[20rem_1fr]">
      <div className={`min-h-0 ${inRoom ? "hidden md:block" : ""}`}>{list}</div>
      <div className="min-h-0 min-w-0">{children}</div>
    </div>
  );
}

/**
 * Chat pages are server-rendered; a message (which arrives as the recipient's notification) or a
 * change of its read state re-renders them. Debounced, so a burst costs one refresh.
 */
export function ChatLiveRefresh() {
  const router = useRouter();
  const { subscribe } = useRealtime();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    const off = subscribe((e) => {
      if ((e.type === "notification.created" || e.type === "notification.updated") && e.data.category === "message") {
        clearTimeout(timer.current);
        timer.current = setTimeout(() => router.refresh(), 120);
      } else if (e.type === "ready" || e.type === "sync.reset") {
        router.refresh();
      }
    });
    return () => {
      off();
      clearTimeout(timer.current);
    };
  }, [subscribe, router]);
  return null;
}
