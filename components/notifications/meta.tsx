import type { NotificationCategory, NotificationPriority } from "@/db/schema";
import { CATEGORY_LABELS } from "@/lib/notifications/constants";
import {
  AlarmIcon,
  BellIcon,
  CalendarIcon,
  ChartIcon,
  MessageIcon,
  ServerIcon,
  StarIcon,
  TaskIcon,
} from "@/components/ui/icons";

export const CATEGORY_META: Record<NotificationCategory, { label: string; Icon: typeof BellIcon; tint: string }> = {
  message: { label: CATEGORY_LABELS.message, Icon: MessageIcon, tint: "bg-sky-100 text-sky-700 dark:bg-sky-950 dark:text-sky-300" },
  appointment: { label: CATEGORY_LABELS.appointment, Icon: CalendarIcon, tint: "bg-violet-100 text-violet-700 dark:bg-violet-950 dark:text-violet-300" },
  report: { label: CATEGORY_LABELS.report, Icon: ChartIcon, tint: "bg-emerald-100 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300" },
  system: { label: CATEGORY_LABELS.system, Icon: ServerIcon, tint: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" },
  reminder: { label: CATEGORY_LABELS.reminder, Icon: AlarmIcon, tint: "bg-amber-100 text-amber-700 dark:bg-amber-950 dark:text-amber-300" },
  feedback: { label: CATEGORY_LABELS.feedback, Icon: StarIcon, tint: "bg-pink-100 text-pink-700 dark:bg-pink-950 dark:text-pink-300" },
  task: { label: CATEGORY_LABELS.task, Icon: TaskIcon, tint: "bg-teal-100 text-teal-700 dark:bg-teal-950 dark:text-teal-300" },
  general: { label: CATEGORY_LABELS.general, Icon: BellIcon, tint: "bg-indigo-100 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300" },
};

/** Colour is never the only signal: high and urgent also carry a text label. */
export const PRIORITY_META: Record<NotificationPriority, { label: string; stripe: string; chip: string | null }> = {
  low: { label: "Low", stripe: "border-l-transparent", chip: null },
  normal: { label: "Normal", stripe: "border-l-transparent", chip: null },
  high: {
    label: "High",
    stripe: "border-l-amber-500",
    chip: "bg-amber-100 text-amber-800 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-400/30",
  },
  urgent: {
    label: "Urgent",
    stripe: "border-l-red-600",
    chip: "bg-red-100 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-300 dark:ring-red-400/30",
  },
};

export function CategoryIcon({ category, size = "md" }: { category: NotificationCategory; size?: "sm" | "md" }) {
  const { Icon, tint } = CATEGORY_META[category];
  return (
    <span aria-hidden className={`grid shrink-0 place-items-center rounded-lg ${tint} ${size === "sm" ? "size-7" : "size-9"}`}>
      <Icon className={size === "sm" ? "size-3.5" : "size-4"} />
    </span>
  );
}

export function PriorityChip({ priority }: { priority: NotificationPriority }) {
  const { label, chip } = PRIORITY_META[priority];
  if (!chip) return null;
  return <span className={`shrink-0 rounded px-1.5 py-px text-[10px] font-semibold uppercase tracking-wide ring-1 ring-inset ${chip}`}>{label}</span>;
}
