import "server-only";
import { env } from "@/lib/env";

/**
 * Two roles. An admin may create service tokens that reach other users and send demo notifications
 * to anyone; a member's tokens and demo sends reach only themselves. The role is configuration
 * (HERALD_ADMIN_EMAILS, comma-separated, case-insensitive), not a stored column, and it is checked
 * when a token is used, not only when it is created: taking an email off the list (and restarting)
 * also takes the reach of that person's existing tokens away.
 */
export type Role = "admin" | "member";

let admins: Set<string> | undefined;

function adminEmails(): Set<string> {
  admins ??= new Set(env().HERALD_ADMIN_EMAILS.map((e) => e.toLowerCase()));
  return admins;
}

export function isAdmin(email: string | null | undefined): boolean {
  return !!email && adminEmails().has(email.trim().toLowerCase());
}

export const roleOf = (user: { email: string }): Role => (isAdmin(user.email) ? "admin" : "member");
