export declare function onShutdown(phase: "drain" | "close", name: string, hook: () => unknown): void;
export declare function isDraining(): boolean;
export declare function runShutdown(phase: "drain" | "close"): Promise<{ hook: string; error: unknown }[]>;
