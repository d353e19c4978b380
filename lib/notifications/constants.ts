// Shared by the schema, validations and client components (no server imports here).
export const NOTIFICATION_CATEGORIES = [
  "message",
  "appointment",
  "report",
  "system",
  "reminder",
  "feedback",
  "task",
  "general",
] as const;
export const NOTIFICATION_PRIORITIES = ["low", "normal", "high", "urgent"] as const;

/** Channels that reach people who are away, and what became of each send. */
export const DELIVERY_CHANNELS = ["email", "push"] as const;
export const DELIVERY_STATUSES = ["pending", "sent", "skipped", "failed", "cancelled"] as const;
/** How a user's emails are batched: one per notification after the delay, a digest, or none. */
export const EMAIL_DIGESTS = ["instant", "hourly", "daily", "off"] as const;

/** How each category is named to people (settings, emails, the bell). */
export const CATEGORY_LABELS: Record<(typeof NOTIFICATION_CATEGORIES)[number], string> = {
  message: "Messages",
  appointment: "Appointments",
  report: "Reports",
  system: "System",
  reminder: "Reminders",
  feedback: "Feedback",
  task: "Tasks",
  general: "General",
};
