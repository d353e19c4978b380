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
