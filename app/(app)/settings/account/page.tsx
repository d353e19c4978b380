import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { SignOutEverywhere } from "@/components/account/sign-out-everywhere";
import { activeSessionCount } from "@/lib/auth/account";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireUser();
  const activeSessions = await activeSessionCount(user.id);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">Account</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Signed in as {user.name} ({user.email}).
        </p>
      </header>
      <SignOutEverywhere activeSessions={activeSessions} />
      <ChangePasswordForm />
      <DeleteAccountForm />
    </div>
  );
}
