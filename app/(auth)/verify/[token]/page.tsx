import type { Metadata } from "next";
import Link from "next/link";
import { VerifyEmailForm } from "@/components/auth/verify-email-form";
import { pendingVerification } from "@/lib/auth/verification";

export const metadata: Metadata = { title: "Verify your email" };

/**
 * Where a verification email's link leads. Opening it changes nothing (mail scanners open links, and
 * one would otherwise verify an address for whoever signed up with it); the button does. The token
 * is matched as written: anything but its 43 base64url characters (a bad encoding included) is the
 * invalid-link page, never decoded.
 */
export default async function VerifyPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const pending = await pendingVerification(token);
  if (!pending) return <InvalidLink />;
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">Verify your email</h1>
      <VerifyEmailForm token={token} email={pending.email} />
    </>
  );
}

function InvalidLink() {
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">Link not valid</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        This verification link is not valid: it was used already, it expired, or a newer one was sent. Sign in to send a new one from the
        banner at the top of the page.
      </p>
      <p className="mt-6 text-sm">
        <Link href="/chat" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Go to Herald
        </Link>
      </p>
    </>
  );
}
