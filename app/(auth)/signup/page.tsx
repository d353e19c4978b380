import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { getSessionUser } from "@/lib/auth/session";
import { signUpOpen } from "@/lib/auth/signup";
import { signUpAction } from "../actions";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getSessionUser()) redirect("/chat");
  if (!signUpOpen()) {
    return (
      <>
        <h1 className="mb-2 text-xl font-semibold">Sign-up is closed</h1>
        <p className="mb-6 text-sm text-zinc-500 dark:text-zinc-400">This Herald does not take new accounts. Ask an admin to create one for you.</p>
        <Link className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400" href="/signin">
          Sign in
        </Link>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Create your account</h1>
      <AuthForm mode="signup" action={signUpAction} />
    </>
  );
}
