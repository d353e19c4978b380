import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Email verified" };

/** Where the verification page's button leads once the link verified the address. */
export default function VerifiedPage() {
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">Email verified</h1>
      <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
        Your email address is confirmed: email notifications can reach it now.
      </p>
      <p className="mt-6 text-sm">
        <Link href="/chat" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          Go to Herald
        </Link>
      </p>
    </>
  );
}
