import "server-only";
import { randomBytes } from "node:crypto";
import { db } from "@/db";
import { consumeEmailVerification, getEmailVerification, isEmailUnverified, replaceEmailVerification } from "@/db/queries/email-verifications";
import { withTransaction } from "@/db/transaction";
import { sendEmail } from "@/lib/delivery/email-sender";
import { publicUrl } from "@/lib/delivery/links";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logError } from "@/lib/logging/log-error.mjs";
import { enforceRateLimit, rules } from "@/lib/rate-limit";
import { hashSecret } from "@/lib/tokens/secret";
import { forgetUserSessions } from "./session-store";

/**
 * An address is verified by following the link mailed to it: until then the account is a member
 * whatever HERALD_ADMIN_EMAILS says (lib/auth/roles.ts), and gets no email or digest (the planning
 * in db/migrations/0017 and lib/delivery/email-job.ts). The link holds 256 random bits; only their
 * SHA-256 is stored, it works once, for LINK_TTL_HOURS, and only while the account still has the
 * address it was sent to. Opening it changes nothing (mail scanners open links); its page's button does.
 */
const LINK_TTL_HOURS = 24;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type VerifiableUser = { id: string; name: string; email: string };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function compose(user: VerifiableUser, url: string) {
  const text = [
    `Hello ${user.name},`,
    "",
    `Confirm that ${user.email} is yours by opening this link and pressing the button:`,
    url,
    "",
    `The link works once, for ${LINK_TTL_HOURS} hours. If you did not create a Herald account, ignore this email.`,
  ].join("\n");
  const html = `<p>Hello ${escapeHtml(user.name)},</p>
<p>Confirm that ${escapeHtml(user.email)} is yours:</p>
<p><a href="${escapeHtml(url)}">Verify my email address</a></p>
<p>The link works once, for ${LINK_TTL_HOURS} hours. If you did not create a Herald account, ignore this email.</p>`;
  return { subject: "Verify your email address for Herald", text, html };
}

/**
 * Mails a new verification link (the user's earlier links stop working). Counted against
 * RATE_LIMIT_VERIFICATION_EMAILS_PER_HOUR per user: throws 429 `rate_limited` beyond it.
 */
export async function sendVerificationEmail(user: VerifiableUser): Promise<void> {
  if (!env().SMTP_URL) throw new AppError("unavailable", "Email is not set up on this server; ask an admin to verify your address");
  await enforceRateLimit(rules.verificationEmails(), user.id);
  const token = randomBytes(32).toString("base64url");
  await replaceEmailVerification(db, {
    userId: user.id,
    email: user.email,
    tokenHash: hashSecret(token),
    expiresAt: new Date(Date.now() + LINK_TTL_HOURS * 3600_000),
  });
  const base = publicUrl();
  const result = await sendEmail({
    ...compose(user, `${base}/verify/${token}`),
    to: user.email,
    messageId: `<herald.verify.${randomBytes(8).toString("hex")}@${new URL(base).hostname}>`,
    headers: {},
  });
  if (!result.ok) {
    logError("verification email failed", new Error(result.reason));
    throw new AppError("unavailable", "The verification email could not be sent; try again later");
  }
}

/** After sign-up: sent in the background (a slow mail server must not hold the sign-up), failures logged. */
export function sendVerificationEmailLater(user: VerifiableUser) {
  void sendVerificationEmail(user).catch((err) => {
    if (!(err instanceof AppError)) logError("verification email failed", err);
  });
}

/** The resend button: only for an account that still needs it. */
export async function resendVerificationEmail(user: VerifiableUser) {
  if (!(await isEmailUnverified(db, user.id))) return;
  await sendVerificationEmail(user);
}

const usable = (token: string) => TOKEN.test(token);

/** Whom an unused, unexpired link is for (the page shows it before the button), or null. */
export async function pendingVerification(token: string) {
  if (!usable(token)) return null;
  return getEmailVerification(db, hashSecret(token));
}

/** Uses the link: true when it verified the address (the session caches forget the user's old role). */
export async function verifyEmail(token: string): Promise<boolean> {
  if (!usable(token)) return false;
  const userId = await withTransaction((tx) => consumeEmailVerification(tx, hashSecret(token)));
  if (!userId) return false;
  forgetUserSessions(userId);
  return true;
}
