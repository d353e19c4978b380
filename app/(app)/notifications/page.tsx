import type { Metadata } from "next";
import { Suspense } from "react";
import { Inbox } from "@/components/notifications/inbox/inbox";
import { ListSkeleton } from "@/components/notifications/notification-list";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Inbox" };

export default async function NotificationsPage() {
  await requireUser();
  return (
    <Suspense fallback={<ListSkeleton rows={6} />}>
      <Inbox />
    </Suspense>
  );
}
