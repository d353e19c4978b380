import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { addressAllowed } from "@/lib/push/endpoint-policy";

/**
 * Requests to URLs somebody else chose (push endpoints, webhook endpoints). Every address is checked
 * as the socket connects, not when the URL was saved, so a name that resolves elsewhere later (DNS
 * rebinding) is caught too; all of a name's addresses must pass. Redirects are never followed.
 */

/** Which addresses a request may reach: public ones; also loopback (push tests); any (webhooks under HERALD_WEBHOOK_ALLOW_PRIVATE). */
export type AddressPolicy = "public" | "loopback" | "any";

export function addressPasses(address: string, policy: AddressPolicy) {
  return policy === "any" || addressAllowed(address, policy === "loopback");
}

/** The connection went to (or resolved to) an address the server must not call. */
export class BlockedAddress extends Error {
  constructor() {
    super("the host resolved to a private or local address");
    this.name = "BlockedAddress";
  }
}

export class ConnectTimeout extends Error {
  constructor() {
    super("connecting timed out");
    this.name = "ConnectTimeout";
  }
}

function checkedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as dns.LookupAddress[];
      if (list.length === 0 || !list.every((a) => addressPasses(a.address, policy))) return callback(new BlockedAddress(), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

// One pool per policy: sockets are reused only after they passed the check once.
const agents = new Map<string, http.Agent>();
function agentFor(protocol: string, policy: AddressPolicy) {
  const key = `${protocol}${policy}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 64, lookup: checkedLookup(policy) };
    agent = protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

export type PostOptions = {
  headers: Record<string, string>;
  body: Buffer;
  addresses: AddressPolicy;
  connectTimeoutMs: number;
  signal: AbortSignal;
  /** How much of the response body to keep (the rest is read and dropped); 0 by default. */
  keepBytes?: number;
};

/** POSTs; resolves with the status and the start of the body. Rejects on a blocked address, a timeout or a network error. */
export function postTo(endpoint: string, o: PostOptions): Promise<{ status: number; body: string }> {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // A literal address skips the lookup, so it is checked here.
  if (isIP(host) !== 0 && !addressPasses(host, o.addresses)) return Promise.reject(new BlockedAddress());
  const transport = url.protocol === "https:" ? https : http;
  const keep = o.keepBytes ?? 0;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: "POST", headers: { ...o.headers, "Content-Length": String(o.body.length) }, agent: agentFor(url.protocol, o.addresses), signal: o.signal });
    let connectTimer: NodeJS.Timeout | undefined;
    req.on("socket", (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => req.destroy(new ConnectTimeout()), o.connectTimeoutMs);
      socket.once("connect", () => clearTimeout(connectTimer));
    });
    req.on("error", (err) => {
      clearTimeout(connectTimer);
      reject(err);
    });
    req.on("response", (res) => {
      clearTimeout(connectTimer);
      const status = res.statusCode ?? 0;
      if (keep === 0) {
        res.resume();
        res.on("error", () => {});
        return resolve({ status, body: "" });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        if (size < keep) chunks.push(chunk.subarray(0, keep - size));
        size += chunk.length;
      });
      res.on("error", reject);
      res.on("end", () => resolve({ status, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.end(o.body);
  });
}
