import type { ReactNode } from "react";
import { card } from "./styles";

const DANGER = "space-y-4 rounded-xl border border-red-200 bg-white p-5 dark:border-red-900 dark:bg-zinc-900";

/** One card of the account page: a titled section (its heading labels it) with a short explanation. */
export function AccountSection({
  id,
  title,
  description,
  danger = false,
  children,
}: {
  id: string;
  title: string;
  description: ReactNode;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={danger ? DANGER : card}>
      <div className="space-y-1">
        <h2 id={id} className={danger ? "font-semibold text-red-700 dark:text-red-400" : "font-semibold"}>
          {title}
        </h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">{description}</p>
      </div>
      {children}
    </section>
  );
}
