import type { Metadata } from "next";
import { ActivityLog } from "@/components/demo/activity-log";
import { DemoForm } from "@/components/demo/demo-form";
import { db } from "@/db";
import { listOtherUsers } from "@/db/queries/users";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Demo" };

export default async function DemoPage() {
  const user = await requireUser();
  const people = await listOtherUsers(db, user.id);
  return (
    <div className="grid items-start gap-6 lg:grid-cols-2">
      <DemoForm me={{ name: user.name, email: user.email }} people={people.map((p) => ({ name: p.name, email: p.email }))} />
      <ActivityLog />
    </div>
  );
}
