"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { BellIcon, GridIcon, KeyIcon, LogOutIcon } from "@/components/ui/icons";

// /settings/tokens is the API tokens page (built with the HTTP API).
const LINKS = [
  { href: "/settings/notifications", label: "Notifications", Icon: BellIcon },
  { href: "/settings/tokens", label: "API tokens", Icon: KeyIcon },
  { href: "/settings/account", label: "Account", Icon: LogOutIcon },
];
/** Admins only (the page checks again): the products that use Herald for their own users. */
const APPS = { href: "/settings/apps", label: "Apps", Icon: GridIcon };

export function SettingsNav({ admin }: { admin: boolean }) {
  const pathname = usePathname();
  const links = admin ? [...LINKS.slice(0, 2), APPS, ...LINKS.slice(2)] : LINKS;
  return (
    <nav aria-label="Settings" className="flex gap-1 overflow-x-auto md:flex-col">
      <h2 className="sr-only">Settings</h2>
      {links.map(({ href, label, Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`flex shrink-0 items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium ${
              active
                ? "bg-white text-zinc-950 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-900 dark:text-white dark:ring-zinc-800"
                : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-900"
            }`}
          >
            <Icon className="size-4" />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
