import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AdminDashboard } from "@/components/admin/dashboard";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const user = await requireUser();
  // A member is told nothing is here, as for any page that does not exist.
  if (!isAdmin(user)) notFound();
  return <AdminDashboard />;
}
