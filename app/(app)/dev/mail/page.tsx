import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/dev/auto-refresh";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { listCaughtMail } from "@/lib/email/dev-mail";

export const metadata: Metadata = { title: "Caught mail" };

/** The local mail catcher's inbox (npm start without SMTP_URL): yours, or everyone's for admins. */
export default async function DevMailPage() {
  const user = await requireUser();
  const all = isAdmin(user);
  const mails = await listCaughtMail({ email: user.email, all });
  if (!mails) notFound();
  return (
    <div className="space-y-4">
      <AutoRefresh seconds={3} />
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Caught mail</h1>
        <p className="mt-0.5 text-sm text-zinc-500 dark:text-zinc-400">
          Email this server sent to its local mail catcher{all ? " (all of it: you are an admin)" : ` for ${user.email}`}. Nothing here left the machine.
        </p>
      </div>
      {mails.length === 0 ? (
        <p className="rounded-xl border border-zinc-200 bg-white p-6 text-center text-sm text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
          No mail yet. Switch Email on for a category in the settings and send yourself a test notification from the demo page.
        </p>
      ) : (
        <ul aria-label="Caught mail" className="divide-y divide-zinc-100 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {mails.map((m) => (
            <li key={m.id}>
              <Link href={`/dev/mail/${m.id}`} className="block px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-800">
                <span className="block truncate font-medium">{m.subject}</span>
                <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">
                  to {m.to.join(", ")} · {m.date ? m.date.toLocaleString("en-GB", { timeZone: "UTC" }) + " UTC" : "no date"}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
