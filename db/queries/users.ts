import { and, asc, eq, isNull, ne, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { DatabaseOrTransaction } from "@/db";
import { users } from "@/db/schema";

/** An account's email: accounts always have one (users_kind_check); only subscribers may lack it. */
export const accountEmail = (email: PgColumn) => sql<string>`${email}`;

/** Herald's own accounts (people who sign in), not an app's subscribers. */
export const isAccount = isNull(users.appId);

/** The account with this email (case-insensitive); subscribers' emails are not looked up. */
export async function getUserByEmail(db: DatabaseOrTransaction, email: string) {
  const [user] = await db
    .select()
    .from(users)
    .where(and(isAccount, sql`lower(${users.email}) = ${email.toLowerCase()}`));
  return user ?? null;
}

export async function getUserById(db: DatabaseOrTransaction, id: string) {
  const [user] = await db
    .select({ id: users.id, name: users.name, email: users.email, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, id));
  return user ?? null;
}

/** Returns null when the email is taken. */
export async function createUser(
  db: DatabaseOrTransaction,
  params: { email: string; name: string; passwordHash: string },
) {
  const [user] = await db
    .insert(users)
    .values(params)
    .onConflictDoNothing()
    .returning({ id: users.id, name: users.name, email: accountEmail(users.email) });
  return user ?? null;
}

export async function listOtherUsers(db: DatabaseOrTransaction, userId: string) {
  return db
    .select({ id: users.id, name: users.name, email: accountEmail(users.email) })
    .from(users)
    .where(and(isAccount, ne(users.id, userId)))
    .orderBy(asc(users.name))
    .limit(200);
}

export async function getPasswordHash(db: DatabaseOrTransaction, id: string) {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, id));
  return row?.passwordHash ?? null;
}

export async function setPasswordHash(db: DatabaseOrTransaction, params: { userId: string; passwordHash: string }) {
  await db.update(users).set({ passwordHash: params.passwordHash }).where(eq(users.id, params.userId));
}

/** Deletes the user and, by ON DELETE CASCADE, everything they own, their sessions included. */
export async function deleteUser(db: DatabaseOrTransaction, id: string) {
  const rows = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length > 0;
}
