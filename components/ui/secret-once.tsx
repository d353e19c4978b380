"use client";

import { useState } from "react";

/**
 * A secret shown this once (a token, a signing key): only a hash or a sealed copy is stored, so it
 * cannot be shown again. `label` names what it is the secret of.
 */
export function SecretOnce({ heading, label, secret }: { heading: string; label: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };
  return (
    <div role="status" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm dark:border-amber-700 dark:bg-amber-950">
      <p className="font-medium">{heading}</p>
      <div className="flex items-center gap-2">
        <code aria-label={label} className="flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-zinc-900">
          {secret}
        </code>
        <button type="button" onClick={() => void copy()} className="rounded-md border border-zinc-300 px-3 py-1 text-xs dark:border-zinc-700">
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
