export declare const APP_ROUTES: readonly string[];
export declare const UNMATCHED: "unmatched";
export declare function routeLabel(url: string | undefined): string;
export declare function methodLabel(method: string | undefined): string;
