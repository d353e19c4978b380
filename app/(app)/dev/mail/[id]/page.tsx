import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { getCaughtMail } from "@/lib/email/dev-mail";

export const metadata: Metadata = { title: "Caught mail" };

export default async function DevMailMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const m = await getCaughtMail((await params).id, { email: user.email, all: isAdmin(user) });
  if (!m) notFound();
  const headers = m.mail.headerLines.map((h) => h.line);
  return (
    <div className="space-y-4">
      <Link href="/dev/mail" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
        ← All caught mail
      </Link>
      <h1 className="text-xl font-semibold">{m.subject}</h1>
      <section aria-label="HTML" className="overflow-hidden rounded-xl border border-zinc-200 dark:border-zinc-800">
        {/* The message's own HTML, sandboxed: no scripts, no same-origin access, no forms. */}
        <iframe title="HTML part" sandbox="" srcDoc={typeof m.mail.html === "string" ? m.mail.html : ""} className="h-[32rem] w-full bg-white" />
      </section>
      <section aria-label="Text" className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="mb-2 text-sm font-semibold">Text part</h2>
        <pre className="whitespace-pre-wrap break-words text-sm">{m.mail.text ?? ""}</pre>
      </section>
      <section aria-label="Headers" className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 className="mb-2 text-sm font-semibold">Headers</h2>
        <pre className="overflow-x-auto whitespace-pre-wrap break-all text-xs">{headers.join("\n")}</pre>
      </section>
    </div>
  );
}
