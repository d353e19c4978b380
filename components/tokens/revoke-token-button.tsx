"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { revokeTokenAction } from "@/app/(app)/settings/tokens/actions";

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const revoke = () => {
    if (!window.confirm(`Revoke “${name}”? Apps using it stop working at once.`)) return;
    startTransition(async () => {
      const result = await revokeTokenAction(id);
      if (!result.ok) toast.error(result.error);
      router.refresh();
    });
  };
  return (
    <button
      type="button"
      onClick={revoke}
      disabled={pending}
      aria-label={`Revoke ${name}`}
      className="rounded-md border border-red-300 px-3 py-1 text-xs font-medium text-red-700 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-400 dark:hover:bg-red-950"
    >
      {pending ? "Revoking…" : "Revoke"}
    </button>
  );
}
