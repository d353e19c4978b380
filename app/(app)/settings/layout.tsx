import { SettingsNav } from "@/components/settings/settings-nav";
import { isAdmin } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";

export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <div className="grid gap-6 md:grid-cols-[12rem_1fr]">
      <SettingsNav admin={isAdmin(user)} />
      <div className="min-w-0">{children}</div>
    </div>
  );
}
