// The process's one logger (pino): JSON lines on stdout, one object per event, with the request's
// id, route and user id when there is a request. `LOG_LEVEL` sets the level (info by default);
// `LOG_FORMAT=pretty` (the default under `npm run dev`) prints readable lines for a terminal.
//
// server.mjs (plain Node) and the app (bundled by Next) load separate copies of this module: both
// reach the same logger and the same request context through a global symbol.
//
// What never goes in: bodies, emails, tokens, query strings. Routes are route patterns
// (lib/http/route-label.mjs); errors go through describeError (lib/logging/log-error.mjs).
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import pino from "pino";

const KEY = Symbol.for("herald.logging");
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function levelFrom(value) {
  return LOG_LEVELS.includes(value) ? value : "info";
}

function create() {
  const context = new AsyncLocalStorage();
  const options = {
    level: levelFrom(process.env.LOG_LEVEL),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Every line written during a request carries its id, route and user.
    mixin: () => {
      const store = context.getStore();
      if (!store) return {};
      return { reqId: store.reqId, route: store.route, ...(store.userId ? { userId: store.userId } : {}) };
    },
  };
  const pretty = process.env.LOG_FORMAT === "pretty";
  // process.stdout is synchronous on Linux (files, pipes and terminals): nothing is lost on exit.
  const logger = pretty ? prettyLogger(options) : pino(options, process.stdout);
  return { logger, context };
}

function prettyLogger(options) {
  // pino-pretty as a stream in this thread (no worker thread), loaded only when asked for.
  const pretty = createRequire(import.meta.url)("pino-pretty");
  return pino(options, pretty({ colorize: Boolean(process.stdout.isTTY), sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid" }));
}

function state() {
  globalThis[KEY] ??= create();
  return globalThis[KEY];
}

/** The logger: `log().info({ ...fields }, "message")`. */
export function log() {
  return state().logger;
}

/** Runs `fn` as one request: what it logs carries `reqId` and `route` (and the user, once known). */
export function withRequestContext(fields, fn) {
  return state().context.run({ ...fields, userId: null }, fn);
}

/** The request being served, if any. */
export function requestContext() {
  return state().context.getStore() ?? null;
}

/** Called by the auth wrappers once the request's user is known. */
export function setRequestUser(userId) {
  const store = state().context.getStore();
  if (store) store.userId = userId;
}
