import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db";
import { listRoomsForUser } from "@/db/queries/rooms";
import { listOtherUsers } from "@/db/queries/users";
import { requireUser } from "@/lib/auth/session";
import { openRoomAction } from "./actions";

export const metadata: Metadata = { title: "Chat" };

export default async function ChatPage() {
  const user = await requireUser();
  const [rooms, people] = await Promise.all([listRoomsForUser(db, user.id), listOtherUsers(db, user.id)]);
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <section className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="border-b border-zinc-200 px-4 py-3 font-semibold dark:border-zinc-800">Conversations</h1>
        {rooms.length === 0 ? (
          <p className="px-4 py-6 text-sm text-zinc-500">No conversations yet. Pick someone to message.</p>
        ) : (
          <ul>
            {rooms.map((r) => (
              <li key={r.id}>
                <Link href={`/chat/${r.id}`} className="block px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-800">
                  <span className="font-medium">{r.other.name}</span>
                  <span className="block text-xs text-zinc-500">{r.other.email}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="border-b border-zinc-200 px-4 py-3 font-semibold dark:border-zinc-800">People</h2>
        <ul>
          {people.map((p) => (
            <li key={p.id} className="flex items-center justify-between px-4 py-3">
              <span>
                <span className="font-medium">{p.name}</span>
                <span className="block text-xs text-zinc-500">{p.email}</span>
              </span>
              <form action={openRoomAction}>
                <input type="hidden" name="participantEmail" value={p.email} />
                <button className="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500" aria-label={`Message ${p.name}`}>
                  Message
                </button>
              </form>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
