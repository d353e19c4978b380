"use client";

type Props = {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  disabled?: boolean;
  size?: "sm" | "md";
};

/** An accessible on/off switch (a button with role="switch"). */
export function Switch({ checked, onChange, label, disabled, size = "md" }: Props) {
  const sm = size === "sm";
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      disabled={disabled}
      onClick={() => onChange(!checked)}
      className={`relative inline-flex shrink-0 items-center rounded-full transition-colors outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-40 dark:focus-visible:ring-offset-zinc-900 ${
        sm ? "h-5 w-9" : "h-6 w-11"
      } ${checked ? "bg-indigo-600" : "bg-zinc-300 dark:bg-zinc-700"}`}
    >
      <span
        aria-hidden
        className={`inline-block rounded-full bg-white shadow transition-transform ${sm ? "size-4" : "size-5"} ${
          checked ? (sm ? "translate-x-[18px]" : "translate-x-[22px]") : "translate-x-0.5"
        }`}
      />
    </button>
  );
}
