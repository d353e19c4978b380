import type { NotificationRow } from "@/db/queries/notifications";
import type { NotificationCategory, NotificationPriority } from "@/db/schema";

/** The public shape of a notification: what the API, the stream and the browser see. */
export type NotificationDTO = {
  id: string;
  category: NotificationCategory;
  priority: NotificationPriority;
  title: string;
  body: string;
  actionUrl: string | null;
  actionLabel: string | null;
  actor: { id: string; name: string } | null;
  subject: { type: string; id: string } | null;
  metadata: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
  archivedAt: string | null;
  expiresAt: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toNotificationDTO(row: NotificationRow): NotificationDTO {
  return {
    id: String(row.id),
    category: row.category,
    priority: row.priority,
    title: row.title,
    body: row.body,
    actionUrl: row.actionUrl,
    actionLabel: row.actionLabel,
    actor: row.actorId && row.actorName ? { id: row.actorId, name: row.actorName } : null,
    subject: row.subjectType && row.subjectId ? { type: row.subjectType, id: row.subjectId } : null,
    metadata: row.metadata ?? {},
    createdAt: row.createdAt.toISOString(),
    readAt: iso(row.readAt),
    archivedAt: iso(row.archivedAt),
    expiresAt: iso(row.expiresAt),
  };
}
