import { endpoint } from "@/lib/http/endpoint";
import { userRoute } from "@/lib/http/user-route";
import { vapidPublicKey } from "@/lib/push/service";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint({
  /** The key `pushManager.subscribe({applicationServerKey})` needs; 503 when push is not set up. */
  GET: userRoute(async () => Response.json({ publicKey: vapidPublicKey() })),
});
