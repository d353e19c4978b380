import { CATEGORY_META } from "@/components/notifications/meta";
import type { TokenDTO } from "@/lib/validations/tokens";
import { RevokeTokenButton } from "./revoke-token-button";

const REACH = { self: "Notifies only you", users: "Notifies any user", app: "Manages and notifies one app's subscribers" } as const;

const reach = (t: TokenDTO) =>
  `${REACH[t.scope]} · ${
    t.categories ? t.categories.map((c) => CATEGORY_META[c].label).join(", ") : "every category"
  }`;

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC" : "never";

export function TokenList({ tokens }: { tokens: TokenDTO[] }) {
  if (tokens.length === 0) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">No tokens yet. Create one for each app that sends notifications.</p>;
  }
  return (
    <ul aria-label="Service tokens" className="divide-y divide-zinc-200 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
      {tokens.map((t) => (
        <li key={t.id} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm" aria-label={`Token ${t.name}`}>
          <div className="min-w-0 flex-1 space-y-0.5">
            <p className="font-medium">
              {t.name}{" "}
              {t.revokedAt ? <span className="ml-1 rounded bg-zinc-200 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">Revoked</span> : null}
            </p>
            <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="token-scope">
              {reach(t)}
            </p>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              <code>{t.prefix}…</code> · created {when(t.createdAt)} · last used {when(t.lastUsedAt)}
              {t.revokedAt ? ` · revoked ${when(t.revokedAt)}` : ""}
            </p>
          </div>
          {t.revokedAt ? null : <RevokeTokenButton id={t.id} name={t.name} />}
        </li>
      ))}
    </ul>
  );
}
