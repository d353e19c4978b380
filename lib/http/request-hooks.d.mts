import type { IncomingMessage, ServerResponse } from "node:http";

/** Sees a request before Next.js does; returns true when it answered the request itself. */
export type RequestHook = (req: IncomingMessage, res: ServerResponse) => boolean;
export declare function addRequestHook(name: string, hook: RequestHook): void;
export declare function requestHooksServed(): boolean;
export declare function serveRequestHooks(): (req: IncomingMessage, res: ServerResponse) => boolean;
