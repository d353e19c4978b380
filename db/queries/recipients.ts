import { and, inArray, or, sql, type SQL } from "drizzle-orm";
import type { DatabaseOrTransaction } from "@/db";
import { users } from "@/db/schema";
import { isAccount } from "./users";

/** Accounts matching any of these ids or (case-insensitive) emails, in one query; never an app's subscribers. */
export async function findUsersByIdsOrEmails(db: DatabaseOrTransaction, ids: string[], emails: string[]) {
  const where: SQL[] = [];
  if (ids.length) where.push(inArray(users.id, ids));
  if (emails.length) where.push(inArray(sql`lower(${users.email})`, emails.map((e) => e.toLowerCase())));
  if (where.length === 0) return [];
  return db
    .select({ id: users.id, email: sql<string>`lower(${users.email})` })
    .from(users)
    .where(and(isAccount, or(...where)));
}
