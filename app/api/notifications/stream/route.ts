import { getSessionUser } from "@/lib/auth/session";
import { errorResponse } from "@/lib/http/respond";
import { unauthorized } from "@/lib/errors";
import { openNotificationStream } from "@/lib/realtime/stream";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await getSessionUser();
  if (!user) return errorResponse(unauthorized());
  return openNotificationStream(user.id, request.signal);
}
