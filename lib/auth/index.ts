import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { db } from "@/db";
import { createSession, revokeSession } from "@/db/queries/sessions";
import { getUserByEmail } from "@/db/queries/users";
import { clientIpKey } from "@/lib/http/client-ip";
import { logError } from "@/lib/logging/log-error.mjs";
import { signInSchema } from "@/lib/validations/auth";
import { burnPasswordCheck, verifyPassword } from "./password";
import { validSession } from "./session-store";
import { beginSignInAttempt } from "./throttle";
import { log } from "@/lib/logging/logger.mjs";

declare module "next-auth" {
  interface Session {
    user: { id: string; verified: boolean } & DefaultSession["user"];
  }
  interface User {
    userAgent?: string | null;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    /** The `sessions` row this token stands for: the token is valid only while that row is. */
    sid?: string;
    /** Whether the user's address is verified, as of the session row's last lookup. */
    verified?: boolean;
  }
}

export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/signin" },
  // Auth.js would print the error with its cause: a failed query's parameters (the email) included.
  // A wrong password or a throttled attempt is an expected outcome: one warning line with its code.
  logger: {
    error: (error) => {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") log().warn({ code: (error as CredentialsSignin).code }, "sign-in refused");
      else logError("auth", error);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // Both the sign-in form's server action and a direct POST to /api/auth/callback/credentials
      // come through here, so the throttle covers both.
      async authorize(raw, request) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return null;
        const attempt = await beginSignInAttempt(parsed.data.email, clientIpKey(request.headers));
        const user = await getUserByEmail(db, parsed.data.email);
        if (!user) {
          await burnPasswordCheck(parsed.data.password);
          return null;
        }
        if (!user.passwordHash || !(await verifyPassword(user.passwordHash, parsed.data.password))) return null;
        const email = user.email ?? parsed.data.email;
        await attempt.succeeded();
        const userAgent = request.headers.get("user-agent")?.slice(0, 500) ?? null;
        return { id: user.id, name: user.name, email, userAgent };
      },
    }),
  ],
  callbacks: {
    /**
     * On sign-in: a new `sessions` row, whose id the token carries. On every later read: the token
     * counts only while that row is valid (not revoked, not expired, its user not deleted); a token
     * without one (issued before sessions were stored) is refused. Returning null signs out.
     */
    async jwt({ token, user }) {
      if (user?.id) {
        const session = await createSession(db, {
          userId: user.id,
          userAgent: user.userAgent ?? null,
          expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000),
        });
        return { ...token, sub: user.id, sid: session.id };
      }
      const session = await validSession(token.sid);
      if (!session || session.userId !== token.sub) return null;
      return { ...token, name: session.name, email: session.email, verified: session.emailVerified };
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.user.verified = token.verified === true;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (token?.sid && token.sub) await revokeSession(db, { userId: token.sub, sessionId: token.sid });
    },
  },
});
