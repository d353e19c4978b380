import type { NotificationCategory, NotificationPriority } from "@/db/schema";
import { NOTIFICATION_CATEGORIES, NOTIFICATION_PRIORITIES } from "@/lib/notifications/constants";
import { CATEGORY_META, PRIORITY_META } from "./meta";

type Props<T extends string> = { value: T | undefined; onChange: (value: T | undefined) => void; className: string };

/** The category filter of the bell and the inbox; empty = every category. */
export function CategorySelect({ value, onChange, className }: Props<NotificationCategory>) {
  return (
    <select aria-label="Category" value={value ?? ""} onChange={(e) => onChange((e.target.value || undefined) as NotificationCategory | undefined)} className={className}>
      <option value="">All categories</option>
      {NOTIFICATION_CATEGORIES.map((c) => (
        <option key={c} value={c}>
          {CATEGORY_META[c].label}
        </option>
      ))}
    </select>
  );
}

/** The inbox's priority filter; empty = any priority. */
export function PrioritySelect({ value, onChange, className }: Props<NotificationPriority>) {
  return (
    <select aria-label="Priority" value={value ?? ""} onChange={(e) => onChange((e.target.value || undefined) as NotificationPriority | undefined)} className={className}>
      <option value="">Any priority</option>
      {NOTIFICATION_PRIORITIES.map((p) => (
        <option key={p} value={p}>
          {PRIORITY_META[p].label}
        </option>
      ))}
    </select>
  );
}
