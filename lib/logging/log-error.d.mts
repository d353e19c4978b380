export type ErrorDescription = Record<string, unknown> & { error: string };
export declare function describeError(err: unknown): ErrorDescription;
export declare function logError(context: string, err: unknown): void;
