import type { ReactNode } from "react";

const TONES = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500",
  danger: "bg-red-600 text-white hover:bg-red-500",
  secondary: "border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800",
};

/** A form's submit button: disabled while its action runs, saying what it is doing meanwhile. */
export function SubmitButton({
  pending,
  pendingLabel,
  tone = "primary",
  className = "",
  children,
}: {
  pending: boolean;
  pendingLabel: string;
  tone?: keyof typeof TONES;
  className?: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" disabled={pending} className={`rounded-lg px-4 py-2 text-sm font-semibold disabled:opacity-60 ${TONES[tone]} ${className}`}>
      {pending ? pendingLabel : children}
    </button>
  );
}
