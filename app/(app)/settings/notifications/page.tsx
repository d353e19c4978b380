import type { Metadata } from "next";
import { NotificationSettings } from "@/components/settings/notification-settings";
import { requireUser } from "@/lib/auth/session";
import { channelsStatus } from "@/lib/delivery/channels";

export const metadata: Metadata = { title: "Notification settings" };

export default async function NotificationSettingsPage() {
  await requireUser();
  return <NotificationSettings channels={channelsStatus()} />;
}
