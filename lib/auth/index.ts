import NextAuth, { type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { db } from "@/db";
import { getUserByEmail } from "@/db/queries/users";
import { logError } from "@/lib/logging/log-error.mjs";
import { signInSchema } from "@/lib/validations/auth";
import { burnPasswordCheck, verifyPassword } from "./password";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin" },
  // Auth.js would print the error with its cause: a failed query's parameters (the email) included.
  logger: { error: (error) => logError("auth", error) },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = signInSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await getUserByEmail(db, parsed.data.email);
        if (!user) {
          await burnPasswordCheck(parsed.data.password);
          return null;
        }
        if (!(await verifyPassword(user.passwordHash, parsed.data.password))) return null;
        return { id: user.id, name: user.name, email: user.email };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});
