import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db";
import { getUserById } from "@/db/queries/users";
import { tokenFromPath, verifyUnsubscribeToken } from "@/lib/email/unsubscribe";
import { CATEGORY_LABELS } from "@/lib/notifications/constants";
import { getPreferences } from "@/lib/preferences/service";
import { unsubscribeAction } from "./actions";

export const metadata: Metadata = { title: "Unsubscribe" };

/**
 * Where an email's unsubscribe link leads. Opening it changes nothing (mail scanners open links);
 * the button does. What it says comes from the current settings, so it is right however often it is
 * opened. No sign-in needed: the link's signature stands for the recipient.
 */
export default async function UnsubscribePage({ params }: { params: Promise<{ token: string }> }) {
  const token = tokenFromPath((await params).token);
  const claims = verifyUnsubscribeToken(token);
  const user = claims ? await getUserById(db, claims.userId) : null;
  if (!claims || !user) {
    return (
      <>
        <h1 className="mb-2 text-xl font-semibold">Link not valid</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          This unsubscribe link is not valid, or its account no longer exists. You can change email settings after{" "}
          <Link href="/settings/notifications" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            signing in
          </Link>
          .
        </p>
      </>
    );
  }
  const prefs = await getPreferences(user.id);
  const what = claims.scope === "all" ? "all emails from Herald" : `emails about ${CATEGORY_LABELS[claims.scope]}`;
  const off = claims.scope === "all" ? prefs.emailDigest === "off" : !prefs.categories[claims.scope].email;
  return (
    <>
      <h1 className="mb-2 text-xl font-semibold">{off ? "Unsubscribed" : "Unsubscribe"}</h1>
      {off ? (
        <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          You will get no more {what}. Notifications still arrive in Herald.
        </p>
      ) : (
        <form action={unsubscribeAction} className="space-y-4">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Stop {what}? Notifications still arrive in Herald.</p>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="w-full rounded-lg bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
            Stop {what}
          </button>
        </form>
      )}
      <p className="mt-6 text-sm">
        <Link href="/settings/notifications" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
          All notification settings
        </Link>
      </p>
    </>
  );
}
