"use client";

import { useActionState } from "react";
import { openRoomAction, type OpenRoomState } from "@/app/(app)/chat/actions";
import { SubmitButton } from "@/components/ui/submit-button";

/** Starts a conversation by email: the chat lists only people you already talk to. */
export function StartConversationForm() {
  const [state, action, pending] = useActionState<OpenRoomState, FormData>(openRoomAction, null);
  return (
    <form action={action} className="space-y-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
      <label htmlFor="participant-email" className="block text-sm font-medium">
        Email address
      </label>
      <div className="flex gap-2">
        <input
          id="participant-email"
          name="participantEmail"
          type="email"
          required
          autoComplete="off"
          placeholder="colleague@example.com"
          className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-950"
        />
        <SubmitButton pending={pending} pendingLabel="Starting…" className="py-1.5">
          Start conversation
        </SubmitButton>
      </div>
      {state ? (
        <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "text-zinc-600 dark:text-zinc-300" : "text-red-600 dark:text-red-400"}`}>
          {state.ok ? state.data : state.error}
        </p>
      ) : null}
    </form>
  );
}
