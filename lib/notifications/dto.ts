import type { z } from "zod";
import type { DeliveryRecord } from "@/db/queries/deliveries";
import type { ItemRow } from "@/db/queries/inbox";
import type { deliverySchema, notificationSchema } from "@/lib/validations/notifications";

/**
 * The public shape of a notification: what the API, the stream and the browser see. Inferred from
 * the zod schema that the OpenAPI document is generated from.
 */
export type NotificationDTO = z.infer<typeof notificationSchema>;
export type HighlightSegment = NonNullable<NotificationDTO["highlight"]>["title"][number];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function groupOf(row: ItemRow): NotificationDTO["group"] {
  if (!row.groupKey) return null;
  const self = row.actorId && row.actorName ? [{ id: row.actorId, name: row.actorName }] : [];
  return {
    key: row.groupKey,
    count: row.groupCount ?? 1,
    actors: row.groupActors ?? self,
    latestAt: (row.groupLatestAt ?? row.createdAt).toISOString(),
  };
}

/** A row as the API shows it; with its class's figures when it was read as an item (db/queries/inbox.ts). */
export function toNotificationDTO(row: ItemRow): NotificationDTO {
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
    seenAt: iso(row.seenAt),
    snoozedUntil: iso(row.snoozedUntil),
    clickedAt: iso(row.clickedAt),
    group: groupOf(row),
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
