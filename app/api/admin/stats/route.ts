import { adminStats } from "@/lib/admin/stats";
import { isAdmin } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { endpoint } from "@/lib/http/endpoint";
import { userRoute } from "@/lib/http/user-route";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** The admin dashboard's figures for every instance (lib/admin/stats.ts): admins only. */
  GET: userRoute(async (_request, _ctx, user) => {
    if (!isAdmin(user)) throw new AppError("forbidden", "Only admins may read the dashboard's figures");
    return Response.json(await adminStats(), { headers: { "Cache-Control": "no-store" } });
  }),
});
