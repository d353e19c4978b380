import { isIP } from "node:net";
import { addressAllowed } from "@/lib/push/endpoint-policy";

/**
 * Why a webhook URL may not be saved, or null: pure, unit-tested in tests/unit/webhook-url-policy.test.ts.
 * The address a name resolves to is checked again at every connect (lib/http/outbound.ts); what
 * is refused here is what can be refused without a lookup: not https, credentials, a literal
 * private, loopback, link-local or metadata address, `localhost`.
 */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) return "must be an https URL";
  if (url.username || url.password) return "must not carry a user name or password";
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  if (isIP(host) !== 0 ? !addressAllowed(host, false) : host === "localhost" || host.endsWith(".localhost")) {
    return "must not point at a loopback, private, link-local or metadata address";
  }
  return null;
}
