"use client";

import Link from "next/link";
import { useActionState } from "react";
import type { AuthFormState } from "@/app/(auth)/actions";

type Props = {
  mode: "signin" | "signup";
  action: (prev: AuthFormState, form: FormData) => Promise<AuthFormState>;
  redirectTo?: string;
  /** Sign-in only: whether to offer "Create an account" (not when sign-up is closed). */
  signUpLink?: boolean;
};

const input =
  "w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900";

export function AuthForm({ mode, action, redirectTo, signUpLink = true }: Props) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const signup = mode === "signup";
  return (
    <form action={formAction} className="space-y-4">
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      {signup ? (
        <label className="block space-y-1 text-sm font-medium">
          <span>Name</span>
          <input name="name" required maxLength={80} autoComplete="name" className={input} defaultValue={state?.fields?.name} />
        </label>
      ) : null}
      <label className="block space-y-1 text-sm font-medium">
        <span>Email</span>
        <input name="email" type="email" required autoComplete="email" className={input} defaultValue={state?.fields?.email} />
      </label>
      <label className="block space-y-1 text-sm font-medium">
        <span>Password</span>
        <input
          name="password"
          type="password"
          required
          minLength={signup ? 8 : 1}
          autoComplete={signup ? "new-password" : "current-password"}
          className={input}
        />
      </label>
      {state?.error ? (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {state.error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {pending ? "Please wait…" : signup ? "Create account" : "Sign in"}
      </button>
      {signup || signUpLink ? (
        <p className="text-center text-sm text-zinc-500 dark:text-zinc-400">
          {signup ? "Already have an account? " : "New to Herald? "}
          <Link className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" href={signup ? "/signin" : "/signup"}>
            {signup ? "Sign in" : "Create an account"}
          </Link>
        </p>
      ) : null}
    </form>
  );
}
