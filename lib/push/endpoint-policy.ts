import { BlockList, isIP } from "node:net";
import { endpointShapeProblem } from "@/lib/validations/push";

/**
 * Where the server may POST a push: pure checks, unit-tested in tests/unit/push-endpoint-policy.test.ts.
 * An endpoint is chosen by whoever subscribes, so without these a member could make the server
 * call any address it can reach (cloud metadata, admin ports on the private network).
 */

/** The hosts Chrome, Firefox, Safari and Edge subscribe on. */
export const DEFAULT_PUSH_SERVICES = ["fcm.googleapis.com", "updates.push.services.mozilla.com", "*.push.apple.com", "*.notify.windows.com"];

export const PUSH_SERVICE_PATTERN = /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export type EndpointPolicy = { services: string[]; allowLocal: boolean };

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `*.push.apple.com` matches `api.push.apple.com` (not `push.apple.com`); other patterns match exactly. */
export function matchesService(hostname: string, patterns: string[]) {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return patterns.some((p) => (p.startsWith("*.") ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p));
}

/** Why an endpoint may not be saved, or null. https on a known push service's default port; loopback http(s) only when allowed. */
export function endpointProblem(raw: string, policy: EndpointPolicy): string | null {
  const shape = endpointShapeProblem(raw);
  if (shape) return shape;
  const url = new URL(raw);
  if (policy.allowLocal && (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK_NAMES.has(url.hostname)) return null;
  if (url.protocol !== "https:") return "must be an https URL";
  if (url.port !== "" || isIP(url.hostname.replace(/^\[|\]$/g, "")) !== 0 || !matchesService(url.hostname, policy.services)) {
    return "must be on a known push service (HERALD_PUSH_SERVICES)";
  }
  return null;
}

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15],
  ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128], ["::1", 128], ["64:ff9b:1::", 48], ["100::", 64], ["2001::", 23], ["2001:db8::", 32], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
] as const) blocked.addSubnet(net, prefix, "ipv6");
const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, compatible ::a.b.c.d), if any. */
function embeddedIPv4(address: string): string | null {
  const m = /^(?:::ffff:(?:0:)?|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1];
  const hex = /^(?:::ffff:(?:0:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Whether the server may connect to a resolved address: never private, loopback, link-local (metadata), multicast or reserved; loopback only when allowed. */
export function addressAllowed(address: string, allowLocal: boolean): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 0) return false;
  const v4 = family === 6 ? embeddedIPv4(bare) : bare;
  const [ip, type] = v4 ? [v4, "ipv4" as const] : [bare, "ipv6" as const];
  if (allowLocal && loopback.check(ip, type)) return true;
  return !blocked.check(ip, type);
}
