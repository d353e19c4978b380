import type { Metadata } from "next";
import { ActivityLog } from "@/components/demo/activity-log";
import { DemoForm } from "@/components/demo/demo-form";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Demo" };

export default async function DemoPage() {
  await requireUser();
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <DemoForm />
      <ActivityLog />
    </div>
  );
}
