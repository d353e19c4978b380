import type { z } from "zod";
import type { DeliveryRecord } from "@/db/queries/deliveries";
import type { NotificationRow } from "@/db/queries/notifications";
import type { deliverySchema, notificationSchema } from "@/lib/validations/notifications";

/**
 * The public shape of a notification: what the API, the stream and the browser see. Inferred from
 * the zod schema that the OpenAPI document is generated from.
 */
export type NotificationDTO = z.infer<typeof notificationSchema>;

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
    via: row.sourceTokenName ? { tokenName: row.sourceTokenName } : null,
    subject: row.subjectType && row.subjectId ? { type: row.subjectType, id: row.subjectId } : null,
    metadata: row.metadata ?? {},
    createdAt: row.createdAt.toISOString(),
    readAt: iso(row.readAt),
    archivedAt: iso(row.archivedAt),
    expiresAt: iso(row.expiresAt),
  };
}

export type DeliveryDTO = z.infer<typeof deliverySchema>;

export function toDeliveryDTO(d: DeliveryRecord): DeliveryDTO {
  return {
    channel: d.channel,
    status: d.status,
    at: d.at.toISOString(),
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.device ? { device: d.device } : {}),
    attempts: d.attempts,
  };
}
