import { personEndpoint } from "@/lib/http/endpoint";
import { personRoute } from "@/lib/http/user-route";
import { vapidPublicKey } from "@/lib/push/service";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = personEndpoint({
  /** The key `pushManager.subscribe({applicationServerKey})` needs; 503 when push is not set up. */
  GET: personRoute(async () => Response.json({ publicKey: vapidPublicKey() })),
});
