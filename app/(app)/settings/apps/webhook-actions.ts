"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { failure, userAction } from "@/lib/http/action";
import { appIdSchema } from "@/lib/validations/apps";
import { createWebhookSchema, webhookEventIdSchema, webhookIdSchema } from "@/lib/validations/webhooks";
import { parseWith } from "@/lib/http/respond";
import { createWebhook, deleteWebhook, replayEvent, sendTestEvent, updateWebhook } from "@/lib/webhooks/service";

/** The webhook forms of /settings/apps/[id]: the services of the REST routes, each checking the admin role itself. */
export type WebhookSecretState = { ok: true; secret: string; url: string } | { ok: false; error: string } | null;

export async function createWebhookAction(_previous: WebhookSecretState, form: FormData): Promise<WebhookSecretState> {
  try {
    const user = await requireUser();
    const appId = parseWith(appIdSchema, form.get("appId"));
    const input = parseWith(createWebhookSchema, { url: form.get("url") ?? "", events: form.getAll("events").map(String) });
    const created = await createWebhook(user, appId, input);
    revalidatePath(`/settings/apps/${appId}`);
    return { ok: true, secret: created.secret, url: created.url };
  } catch (err) {
    return failure(err, "webhook creation");
  }
}

const target = z.object({ appId: appIdSchema, id: webhookIdSchema });

export const setWebhookEnabledAction = userAction("webhook update", target.extend({ enabled: z.boolean() }), async ({ appId, id, enabled }, user) => {
  await updateWebhook(user, appId, id, { enabled });
  revalidatePath(`/settings/apps/${appId}`);
  return null;
});

export const deleteWebhookAction = userAction("webhook deletion", target, async ({ appId, id }, user) => {
  await deleteWebhook(user, appId, id);
  revalidatePath(`/settings/apps/${appId}`);
  return null;
});

export const testWebhookAction = userAction("webhook test", target, async ({ appId, id }, user) => {
  const queued = await sendTestEvent(user, appId, id);
  revalidatePath(`/settings/apps/${appId}`);
  return queued;
});

export const replayWebhookAction = userAction("webhook replay", target.extend({ eventId: webhookEventIdSchema }), async ({ appId, id, eventId }, user) => {
  const queued = await replayEvent(user, appId, id, eventId);
  revalidatePath(`/settings/apps/${appId}`);
  return queued;
});
