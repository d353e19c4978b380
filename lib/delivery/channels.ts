import "server-only";
import { env } from "@/lib/env";

export type ChannelStatus = { enabled: boolean; reason?: string };
export type ChannelsStatus = { email: ChannelStatus; push: ChannelStatus; devMail: boolean };

/** Whether this server can send email and push at all, in words for the settings page. */
export function channelsStatus(): ChannelsStatus {
  const e = env();
  return {
    email: e.SMTP_URL ? { enabled: true } : { enabled: false, reason: "Email is off on this server: the operator has not set SMTP_URL." },
    push: e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY ? { enabled: true } : { enabled: false, reason: "Push is off on this server: the operator has not set the VAPID keys." },
    devMail: Boolean(e.HERALD_DEV_MAIL_DIR),
  };
}
