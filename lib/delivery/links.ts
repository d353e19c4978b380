import "server-only";
import { env } from "@/lib/env";
import { actionTarget } from "@/lib/notifications/action-url";

/** Where links in emails and pushes point: HERALD_PUBLIC_URL, else this server on localhost. */
export function publicUrl() {
  const { HERALD_PUBLIC_URL, PORT } = env();
  return (HERALD_PUBLIC_URL ?? `http://localhost:${PORT}`).replace(/\/+$/, "");
}

/** A notification's action as an absolute URL for an email, or null when it has none (or an unsafe one). */
export function absoluteActionUrl(actionUrl: string | null): string | null {
  const target = actionTarget(actionUrl);
  if (!target) return null;
  return target.kind === "internal" ? `${publicUrl()}${target.path}` : target.href;
}

/** Where a push notification's click leads: the action when it is a path on this site, else the inbox. */
export function pushUrl(actionUrl: string | null): string {
  const target = actionTarget(actionUrl);
  if (target?.kind === "internal") return target.path;
  if (target?.kind === "external") return target.href;
  return "/notifications";
}
