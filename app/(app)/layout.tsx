import Link from "next/link";
import { redirect } from "next/navigation";
import { VerifyBanner } from "@/components/auth/verify-banner";
import { AppNav } from "@/components/layout/app-nav";
import { ConnectionIndicator } from "@/components/notifications/connection-indicator";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { RealtimeProvider } from "@/components/notifications/realtime-provider";
import { LogOutIcon } from "@/components/ui/icons";
import { signOut } from "@/lib/auth";
import { isAdmin } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { pageNotificationState } from "@/lib/realtime/page-state";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await getSessionUser();
  if (!user) redirect("/signin");
  // The badge is right on the first paint; the stream resumes from the same snapshot (so nothing
  // committed between this render and its first connect is missed) and keeps it right afterwards.
  const { unreadCount, unseenCount, resumeCursor } = await pageNotificationState(user.id);
  return (
    <RealtimeProvider resumeCursor={resumeCursor}>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b border-zinc-200 bg-white/85 backdrop-blur supports-[backdrop-filter]:bg-white/70 dark:border-zinc-800 dark:bg-zinc-900/85 dark:supports-[backdrop-filter]:bg-zinc-900/70">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-3 sm:gap-4 sm:px-4">
          <Link href="/chat" className="flex shrink-0 items-center gap-2 font-semibold" aria-label="Herald home">
            <span aria-hidden className="grid size-7 place-items-center rounded-lg bg-indigo-600 text-sm font-bold text-white">
              H
            </span>
            <span className="hidden md:inline">Herald</span>
          </Link>
          <AppNav admin={isAdmin(user)} />
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            <span className="hidden lg:block">
              <ConnectionIndicator compact />
            </span>
            <NotificationBell initialCounts={{ unreadCount, unseenCount }} />
            <span className="hidden max-w-32 truncate text-sm text-zinc-500 md:inline dark:text-zinc-400" data-testid="current-user">
              {user.name}
            </span>
            <form
              action={async () => {
                "use server";
                await signOut({ redirectTo: "/signin" });
              }}
            >
              <button
                aria-label="Sign out"
                title="Sign out"
                className="grid size-9 place-items-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
              >
                <LogOutIcon />
              </button>
            </form>
          </div>
        </div>
      </header>
      {user.emailVerified ? null : <VerifyBanner email={user.email} />}
      <main id="main" className="mx-auto max-w-6xl px-3 py-4 sm:px-4 sm:py-6">
        {children}
      </main>
    </RealtimeProvider>
  );
}
