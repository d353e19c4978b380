import "server-only";
import { env } from "@/lib/env";

/**
 * Two roles. An admin may create service tokens that reach other users and send demo notifications
 * to anyone; a member's tokens and demo sends reach only themselves. The role is configuration
 * (HERALD_ADMIN_EMAILS, comma-separated, case-insensitive), not a stored column, and it is checked
 * when a token is used, not only when it is created: taking an email off the list (and restarting)
 * also takes the reach of that person's existing tokens away. Only a verified address counts: anyone
 * may sign up as a listed email nobody has yet, and is a member until they follow the emailed link.
 */
export type Role = "admin" | "member";

let admins: Set<string> | undefined;

function adminEmails(): Set<string> {
  admins ??= new Set(env().HERALD_ADMIN_EMAILS.map((e) => e.toLowerCase()));
  return admins;
}

/** `appId`: an app's subscriber, whose address its app vouches for: never an admin, whatever it is. */
export type RoleSubject = { email: string | null | undefined; emailVerified: boolean; appId?: string | null };

export function isAdmin(user: RoleSubject): boolean {
  return !user.appId && user.emailVerified && !!user.email && adminEmails().has(user.email.trim().toLowerCase());
}

export const roleOf = (user: RoleSubject): Role => (isAdmin(user) ? "admin" : "member");
