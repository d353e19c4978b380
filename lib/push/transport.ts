import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { addressAllowed } from "./endpoint-policy";

/** The connection went to (or resolved to) an address the server must not call. */
export class BlockedAddress extends Error {
  constructor() {
    super("the push service resolved to a private or local address");
    this.name = "BlockedAddress";
  }
}

export class ConnectTimeout extends Error {
  constructor() {
    super("connecting to the push service timed out");
    this.name = "ConnectTimeout";
  }
}

/**
 * Every address is checked as the socket connects (not when the endpoint was saved), so a name
 * that resolves elsewhere later (DNS rebinding) is caught too; all of a name's addresses must pass.
 */
function checkedLookup(allowLocal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as dns.LookupAddress[];
      if (list.length === 0 || !list.every((a) => addressAllowed(a.address, allowLocal))) return callback(new BlockedAddress(), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

// One pool per policy: sockets are reused only after they passed the check once.
const agents = new Map<string, http.Agent>();
function agentFor(protocol: string, allowLocal: boolean) {
  const key = `${protocol}${allowLocal}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 64, lookup: checkedLookup(allowLocal) };
    agent = protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

export type PostOptions = { headers: Record<string, string>; body: Buffer; allowLocal: boolean; connectTimeoutMs: number; signal: AbortSignal };

/** POSTs and returns the status; the response body is discarded. Rejects on a blocked address, a timeout or a network error. */
export function postTo(endpoint: string, o: PostOptions): Promise<number> {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  // A literal address skips the lookup, so it is checked here.
  if (isIP(host) !== 0 && !addressAllowed(host, o.allowLocal)) return Promise.reject(new BlockedAddress());
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, { method: "POST", headers: { ...o.headers, "Content-Length": String(o.body.length) }, agent: agentFor(url.protocol, o.allowLocal), signal: o.signal });
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
      res.resume();
      res.on("error", () => {});
      resolve(res.statusCode ?? 0);
    });
    req.end(o.body);
  });
}
