import "server-only";
import { db } from "@/db";
import { moveSessionDevices } from "@/db/queries/push-subscriptions";
import { countValidSessions, revokeSession, revokeUserSessions } from "@/db/queries/sessions";
import { deleteUser, getPasswordHash, setPasswordHash } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "./password";
import type { SessionUser } from "./session";
import { beginSignInAttempt } from "./throttle";

/**
 * Confirms the user's own password. Wrong guesses count against the same limits as sign-in, so a
 * stolen session cannot be used to guess the password faster than the sign-in form allows.
 */
async function confirmPassword(user: SessionUser, password: string, ip: string | null) {
  const attempt = await beginSignInAttempt(user.email.toLowerCase(), ip);
  const hash = await getPasswordHash(db, user.id);
  if (!hash) throw new AppError("unauthorized", "Sign in to continue");
  if (!(await verifyPassword(hash, password))) {
    throw new AppError("validation_error", "That is not your current password");
  }
  await attempt.succeeded();
}

export const activeSessionCount = (userId: string) => countValidSessions(db, userId);

/** Revokes every session of the user, this browser's included. */
export async function signOutEverywhere(userId: string) {
  return revokeUserSessions(db, userId);
}

/**
 * Sets the new password and revokes every other session, in one transaction. The caller signs this
 * browser in anew and revokes `currentSessionId` once the new cookie is on its way (endReplacedSession).
 */
export async function changePassword(
  user: SessionUser,
  input: { currentPassword: string; newPassword: string },
  ctx: { ip: string | null; currentSessionId: string },
) {
  await confirmPassword(user, input.currentPassword, ctx.ip);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await setPasswordHash(tx, { userId: user.id, passwordHash });
    await revokeUserSessions(tx, user.id, ctx.currentSessionId);
  });
}

/**
 * Ends the session this browser had before it signed in anew as `nextSessionId`; the push devices
 * it registered move to the new one first, so the revocation (which removes a session's devices)
 * keeps this browser's.
 */
export async function endReplacedSession(userId: string, sessionId: string, nextSessionId: string | null) {
  await db.transaction(async (tx) => {
    if (nextSessionId) await moveSessionDevices(tx, { userId, from: sessionId, to: nextSessionId });
    await revokeSession(tx, { userId, sessionId });
  });
}

/** Deletes the user and everything they own; their sessions go with them (ON DELETE CASCADE). */
export async function deleteAccount(user: SessionUser, password: string, ip: string | null) {
  await confirmPassword(user, password, ip);
  await deleteUser(db, user.id);
}
