import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { getSessionUser } from "@/lib/auth/session";
import { signUpOpen } from "@/lib/auth/signup";
import { signInAction } from "../actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getSessionUser()) redirect("/chat");
  const { callbackUrl } = await searchParams;
  return (
    <>
      <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
      <p className="mb-6 text-sm text-zinc-500 dark:text-zinc-400">Demo users: alice@, bob@, carol@example.com · password herald-demo</p>
      <AuthForm
        mode="signin"
        action={signInAction}
        redirectTo={callbackUrl?.startsWith("/") ? callbackUrl : undefined}
        signUpLink={signUpOpen()}
      />
    </>
  );
}
