import type { Logger } from "pino";

export declare const LOG_LEVELS: readonly ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
export type RequestContext = { reqId: string; route: string; userId: string | null };
export declare function log(): Logger;
export declare function withRequestContext<T>(fields: { reqId: string; route: string }, fn: () => T): T;
export declare function requestContext(): RequestContext | null;
export declare function setRequestUser(userId: string): void;
