import type { Metadata } from "next";
import Link from "next/link";
import { Avatar } from "@/components/chat/avatar";
import { StartConversationForm } from "@/components/chat/start-conversation-form";
import { requireUser } from "@/lib/auth/session";
import { listConversations } from "@/lib/chat/service";

export const metadata: Metadata = { title: "Chat" };

export default async function ChatPage() {
  const user = await requireUser();
  // Only people you share a room with: nobody learns who else has an account, or their address.
  const people = (await listConversations(user.id)).map((c) => ({ ...c.other, roomId: c.id })).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="people-heading" className="flex h-full flex-col overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <h2 id="people-heading" className="font-semibold">
          People
        </h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Start a conversation: each message reaches the other person live.</p>
      </div>
      <StartConversationForm />
      {people.length === 0 ? <p className="px-4 py-6 text-sm text-zinc-500 dark:text-zinc-400">Nobody yet: start a conversation with a colleague&apos;s email address.</p> : null}
      <ul className="min-h-0 flex-1 divide-y divide-zinc-100 overflow-y-auto dark:divide-zinc-800">
        {people.map((p) => (
          <li key={p.roomId} className="flex items-center gap-3 px-4 py-3">
            <Avatar name={p.name} size="sm" />
            <span className="min-w-0 flex-1">
              <span className="block truncate text-sm font-medium">{p.name}</span>
              <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">{p.email}</span>
            </span>
            <Link
              href={`/chat/${p.roomId}`}
              className="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500"
              aria-label={`Message ${p.name}`}
            >
              Message
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
