// The part of sonner's API the shared components call (toast(), its variants, dismiss, <Toaster>),
// small enough for the element's size budget: sonner with its stylesheet is about a quarter of it.
// What a toast says, when it collapses into a burst and what its button does stays in
// components/notifications/toasts.tsx, shared with Herald's pages.
import { useEffect, useSyncExternalStore, type ReactNode } from "react";

type Kind = "default" | "success" | "info" | "warning" | "error";
export type ExternalToast = {
  id?: string | number;
  description?: ReactNode;
  duration?: number;
  icon?: ReactNode;
  testId?: string;
  action?: { label: string; onClick: () => void };
  classNames?: Record<string, string>;
};
type Item = ExternalToast & { id: string | number; title: ReactNode; kind: Kind };

let items: Item[] = [];
let seq = 0;
const listeners = new Set<() => void>();
const timers = new Map<string | number, ReturnType<typeof setTimeout>>();

function set(next: Item[]) {
  items = next;
  for (const l of listeners) l();
}

function dismiss(id?: string | number) {
  set(id === undefined ? [] : items.filter((t) => t.id !== id));
}

function show(kind: Kind, title: ReactNode, options: ExternalToast = {}) {
  const id = options.id ?? `toast-${++seq}`;
  const item: Item = { ...options, id, title, kind };
  set(items.some((t) => t.id === id) ? items.map((t) => (t.id === id ? item : t)) : [...items, item]);
  clearTimeout(timers.get(id));
  const duration = options.duration ?? 4_000;
  if (Number.isFinite(duration)) timers.set(id, setTimeout(() => dismiss(id), duration));
  return id;
}

export const toast = Object.assign((title: ReactNode, o?: ExternalToast) => show("default", title, o), {
  success: (title: ReactNode, o?: ExternalToast) => show("success", title, o),
  info: (title: ReactNode, o?: ExternalToast) => show("info", title, o),
  warning: (title: ReactNode, o?: ExternalToast) => show("warning", title, o),
  error: (title: ReactNode, o?: ExternalToast) => show("error", title, o),
  dismiss,
});

const TONE: Record<Kind, string> = {
  default: "border-zinc-200 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100",
  success: "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-100",
  info: "border-sky-200 bg-sky-50 text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-100",
  warning: "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100",
  error: "border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100",
};

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};

export function Toaster({ visibleToasts = 5, containerAriaLabel = "Notifications" }: { visibleToasts?: number; containerAriaLabel?: string; [k: string]: unknown }) {
  const list = useSyncExternalStore(subscribe, () => items, () => items);
  useEffect(() => () => dismiss(), []);
  return (
    <section aria-label={containerAriaLabel} data-sonner-toaster="" className="fixed bottom-4 right-4 flex w-[22rem] max-w-[calc(100vw-2rem)] flex-col gap-2">
      <ol className="contents">
        {list.slice(-visibleToasts).map((t) => (
          <li
            key={t.id}
            data-testid={t.testId}
            role={t.kind === "error" || t.kind === "warning" ? "alert" : "status"}
            className={`flex items-start gap-2 rounded-lg border p-3 text-sm shadow-lg ${TONE[t.kind]}`}
          >
            {t.icon ? <span className="shrink-0">{t.icon}</span> : null}
            <div className="min-w-0 flex-1">
              <div className="font-semibold">{t.title}</div>
              {t.description ? <div className="mt-0.5 text-[13px] leading-snug opacity-90">{t.description}</div> : null}
            </div>
            {t.action ? (
              <button
                type="button"
                onClick={() => {
                  t.action!.onClick();
                  dismiss(t.id);
                }}
                className="shrink-0 rounded-md bg-zinc-900 px-2 py-1 text-xs font-medium text-white dark:bg-white dark:text-zinc-900"
              >
                {t.action.label}
              </button>
            ) : null}
            <button type="button" aria-label="Close toast" onClick={() => dismiss(t.id)} className="shrink-0 rounded px-1 text-base leading-none opacity-60 hover:opacity-100">
              ×
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
