import type { AccountFormState } from "@/app/(app)/settings/account/actions";

/** The outcome of an account form: an error as an alert, a success as a status. */
export function FormMessage({ state, success }: { state: AccountFormState; success?: string }) {
  if (!state) return null;
  if (!state.ok) {
    return (
      <p role="alert" className="text-sm text-red-600 dark:text-red-400">
        {state.error}
      </p>
    );
  }
  return success ? (
    <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
      {success}
    </p>
  ) : null;
}
