import "server-only";
import { cache } from "react";
import { auth } from "@/lib/auth";
import { unauthorized } from "@/lib/errors";
import { setRequestUser } from "@/lib/logging/logger.mjs";

/** Who is acting: an account, or an app's subscriber (`appId`) through a subscriber token. */
export type SessionUser = { id: string; name: string; email: string; emailVerified: boolean; appId?: string };

/** The signed-in user, or null. Cached per request. */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const user = session?.user;
  if (!user?.id) return null;
  setRequestUser(user.id);
  return { id: user.id, name: user.name ?? "", email: user.email ?? "", emailVerified: user.verified === true };
});

/** Called first by every server action and route handler: pages and layouts are no protection. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw unauthorized();
  return user;
}
