import type { Metadata } from "next";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { TokenList } from "@/components/tokens/token-list";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { listTokens } from "@/lib/tokens/service";

export const metadata: Metadata = { title: "Service tokens" };

export default async function TokensPage() {
  const user = await requireUser();
  const tokens = await listTokens(user.id);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">Service tokens</h1>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Other apps use a token to send notifications through the HTTP API:{" "}
          <code className="rounded bg-zinc-100 px-1 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">POST /api/v1/notifications</code> with{" "}
          <code className="rounded bg-zinc-100 px-1 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">Authorization: Bearer &lt;token&gt;</code>. A token notifies
          only you (scripts, CI jobs) unless an admin creates it for any user; recipients see its name as “via …”. Give it only to
          services you trust, and revoke it when it leaks. The full reference is{" "}
          <a className="text-indigo-600 underline dark:text-indigo-400" href="/api/openapi.json">
            /api/openapi.json
          </a>
          .
        </p>
      </header>
      <CreateTokenForm admin={isAdmin(user)} />
      <TokenList tokens={tokens} />
    </div>
  );
}
