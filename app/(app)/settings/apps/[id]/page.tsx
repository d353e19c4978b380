import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppTokenForm, DeleteApp, EditAppForm, SigningKeys } from "@/components/apps/app-forms";
import { WebhooksSection } from "@/components/apps/webhooks-section";
import { getAppWithCounts } from "@/lib/apps/service";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { appIdSchema } from "@/lib/validations/apps";
import { listAttempts, listWebhooks } from "@/lib/webhooks/service";

export const metadata: Metadata = { title: "App" };

export default async function AppPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const id = appIdSchema.safeParse((await params).id);
  if (!isAdmin(user) || !id.success) notFound();
  const app = await getAppWithCounts(user, id.data).catch((err) => {
    if (err instanceof AppError && err.code === "not_found") return null;
    throw err;
  });
  if (!app) notFound();
  const hooks = await Promise.all(
    (await listWebhooks(user, app.id)).map(async (h) => ({ ...h, attempts: (await listAttempts(user, app.id, h.id)).items.slice(0, 5) })),
  );
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header className="space-y-1">
        <Link href="/settings/apps" className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">
          ← Apps
        </Link>
        <h1 className="text-xl font-semibold">{app.name}</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          App id <code className="rounded bg-zinc-100 px-1 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">{app.id}</code> ·{" "}
          <span data-testid="subscriber-count">
            {app.subscriberCount} {app.subscriberCount === 1 ? "subscriber" : "subscribers"}
          </span>
        </p>
      </header>
      <EditAppForm id={app.id} name={app.name} allowedOrigins={app.allowedOrigins} />
      <SigningKeys appId={app.id} keys={app.signingKeys} />
      <AppTokenForm appId={app.id} />
      <WebhooksSection appId={app.id} hooks={hooks} />
      <DeleteApp id={app.id} name={app.name} subscriberCount={app.subscriberCount} />
    </div>
  );
}
