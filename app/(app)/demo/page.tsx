import type { Metadata } from "next";
import { ActivityLog } from "@/components/demo/activity-log";
import { ChannelOutcomes } from "@/components/demo/channel-outcomes";
import { DemoForm } from "@/components/demo/demo-form";
import { db } from "@/db";
import { listOtherUsers } from "@/db/queries/users";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Demo" };

export default async function DemoPage() {
  const user = await requireUser();
  // Only admins may send to someone else, so only they get the recipient field and the address list.
  const people = isAdmin(user) ? (await listOtherUsers(db, user.id)).map((p) => ({ name: p.name, email: p.email })) : null;
  return (
    <div className="grid items-start gap-6 lg:grid-cols-2">
      <div className="space-y-6">
        <DemoForm me={{ name: user.name, email: user.email }} people={people} />
        <ChannelOutcomes />
      </div>
      <ActivityLog />
    </div>
  );
}
