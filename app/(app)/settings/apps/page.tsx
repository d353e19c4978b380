import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CreateAppForm } from "@/components/apps/app-forms";
import { listApps } from "@/lib/apps/service";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Apps" };

export default async function AppsPage() {
  const user = await requireUser();
  if (!isAdmin(user)) notFound();
  const apps = await listApps(user);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">Apps</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          An app is a product of yours that uses Herald for its own users (subscribers, under your ids). Its server calls the API with an app token
          and signs a subscriber token for each signed-in user; its pages, on the origins listed here, show the inbox with it.
        </p>
      </header>
      <CreateAppForm />
      {apps.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No apps yet.</p>
      ) : (
        <ul aria-label="Apps" className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {apps.map((app) => (
            <li key={app.id} className="px-4 py-3 text-sm">
              <Link href={`/settings/apps/${app.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
                {app.name}
              </Link>
              <p className="text-xs text-zinc-500 dark:text-zinc-400">
                {app.allowedOrigins.length ? app.allowedOrigins.join(", ") : "no browser origins"} · {app.signingKeys.length} signing{" "}
                {app.signingKeys.length === 1 ? "key" : "keys"}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
