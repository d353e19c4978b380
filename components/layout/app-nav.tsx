"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ChartIcon, InboxIcon, MessageIcon, SlidersIcon, ZapIcon } from "@/components/ui/icons";

const LINKS = [
  { href: "/chat", label: "Chat", Icon: MessageIcon },
  { href: "/notifications", label: "Inbox", Icon: InboxIcon },
  { href: "/demo", label: "Demo", Icon: ZapIcon },
  { href: "/settings/notifications", label: "Settings", Icon: SlidersIcon, match: "/settings" },
];
const ADMIN_LINK = { href: "/admin", label: "Admin", Icon: ChartIcon, match: undefined };

/** The main links; admins also get the operations dashboard. */
export function AppNav({ admin = false }: { admin?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex min-w-0 gap-0.5 text-sm">
      {(admin ? [...LINKS, ADMIN_LINK] : LINKS).map(({ href, label, Icon, match }) => {
        const active = pathname === href || pathname.startsWith(`${match ?? href}/`) || (match !== undefined && pathname === match);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`flex items-center gap-1.5 rounded-md px-2.5 py-1.5 font-medium sm:px-3 ${
              active
                ? "bg-zinc-100 text-zinc-950 dark:bg-zinc-800 dark:text-white"
                : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
            }`}
          >
            <Icon className="size-4 shrink-0" />
            <span className="hidden sm:inline">{label}</span>
            <span className="sr-only sm:hidden">{label}</span>
          </Link>
        );
      })}
    </nav>
  );
}
