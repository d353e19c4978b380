import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { emailVerifications, users } from "@/db/schema";
import { accountEmail } from "./users";

/** A new link for the user's current address; the older links of the user stop working. */
export async function replaceEmailVerification(
  db: DatabaseOrTransaction,
  params: { userId: string; email: string; tokenHash: string; expiresAt: Date },
) {
  await db.delete(emailVerifications).where(eq(emailVerifications.userId, params.userId));
  await db.insert(emailVerifications).values(params);
}

/** The link's user and address while it is unused, unexpired and for the user's current address; else null. */
export async function getEmailVerification(db: DatabaseOrTransaction, tokenHash: string) {
  const [row] = await db
    .select({ userId: emailVerifications.userId, email: accountEmail(users.email), verifiedAt: users.emailVerifiedAt })
    .from(emailVerifications)
    .innerJoin(users, and(eq(users.id, emailVerifications.userId), sql`lower(${users.email}) = lower(${emailVerifications.email})`))
    .where(and(eq(emailVerifications.tokenHash, tokenHash), gt(emailVerifications.expiresAt, sql`now()`)));
  return row ?? null;
}

/**
 * Uses the link up (deleted whatever happens next) and marks the address it was sent to verified.
 * Returns the user's id, or null for a link that is unknown, used, expired or for an old address.
 */
export async function consumeEmailVerification(db: DatabaseOrTransaction, tokenHash: string): Promise<string | null> {
  const [link] = await db
    .delete(emailVerifications)
    .where(and(eq(emailVerifications.tokenHash, tokenHash), gt(emailVerifications.expiresAt, sql`now()`)))
    .returning({ userId: emailVerifications.userId, email: emailVerifications.email });
  if (!link) return null;
  const [user] = await db
    .update(users)
    .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
    .where(and(eq(users.id, link.userId), sql`lower(${users.email}) = lower(${link.email})`))
    .returning({ id: users.id });
  return user?.id ?? null;
}

/** Whether the user still needs to verify (false for a deleted user: nothing to send). */
export async function isEmailUnverified(db: DatabaseOrTransaction, userId: string) {
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
  return !!row;
}
