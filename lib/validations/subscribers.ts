import { z } from "zod";
import { timeZoneSchema } from "./preferences";
import { text, trimmedText } from "./text";

export const EXTERNAL_ID_MAX = 200;
export const SUBSCRIBERS_BULK_MAX = 1000;
export const SUBSCRIBER_DATA_MAX_BYTES = 8 * 1024;

/**
 * The host's own id for its user: 1-200 printable characters (no control characters), as given,
 * except `bulk`, which is the path of the bulk upsert (a subscriber by that id could not be read or erased).
 */
export const externalIdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(EXTERNAL_ID_MAX, `must be at most ${EXTERNAL_ID_MAX} characters`)
  .regex(/^[^\p{Cc}\p{Cs}]+$/u, "must be printable characters (no control characters)")
  .regex(/^(?!bulk$)/, "`bulk` is reserved (it is the path of the bulk upsert)")
  .meta({ description: "The host app's id for its user (unique per app); any but `bulk`", example: "u_42" });

const httpsUrl = text()
  .max(2048, "must be at most 2,048 characters")
  .regex(/^https?:\/\//i, "must be an http(s) URL")
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === "https:" || u.protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL");

const dataSchema = z
  .record(text().min(1).max(100), z.unknown())
  .refine((d) => Buffer.byteLength(JSON.stringify(d), "utf8") <= SUBSCRIBER_DATA_MAX_BYTES, `must be at most ${SUBSCRIBER_DATA_MAX_BYTES / 1024} KB as JSON`)
  .meta({ description: "Free-form JSON kept with the subscriber" });

/** What a host may say about its user; a field left out keeps its value, null clears it. */
export const subscriberFieldsSchema = z.strictObject({
  email: z.email("must be an email address").max(254).nullable().optional().meta({ description: "Where email goes; the host vouches for it (counts as verified)" }),
  name: trimmedText(200).nullable().optional(),
  avatarUrl: httpsUrl.nullable().optional(),
  locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a BCP 47 language tag such as en or pt-BR").nullable().optional(),
  timeZone: timeZoneSchema.nullable().optional(),
  data: dataSchema.nullable().optional(),
});
export const upsertSubscriberSchema = subscriberFieldsSchema.meta({ id: "SubscriberFields" });
export type SubscriberFields = z.infer<typeof subscriberFieldsSchema>;

export const bulkSubscriberSchema = subscriberFieldsSchema.extend({ externalId: externalIdSchema }).meta({ id: "BulkSubscriber" });
export const bulkSubscribersSchema = z
  .strictObject({
    subscribers: z
      .array(bulkSubscriberSchema)
      .min(1, "give at least one subscriber")
      .max(SUBSCRIBERS_BULK_MAX, `at most ${SUBSCRIBERS_BULK_MAX} subscribers`)
      .refine((s) => new Set(s.map((x) => x.externalId)).size === s.length, "lists an externalId twice")
      .meta({ description: "Up to 1,000, each externalId at most once" }),
  })
  .meta({ id: "BulkSubscribers" });
export type BulkSubscriberInput = z.infer<typeof bulkSubscriberSchema>;

export const subscriberSchema = z
  .object({
    id: z.uuid().meta({ description: "Herald's user id of the subscriber" }),
    externalId: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    locale: z.string().nullable(),
    timeZone: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: "Subscriber" });
export type SubscriberDTO = z.infer<typeof subscriberSchema>;

export const bulkResultSchema = z
  .object({ created: z.int().min(0), updated: z.int().min(0), items: z.array(subscriberSchema) })
  .meta({ id: "BulkSubscribersResult" });
