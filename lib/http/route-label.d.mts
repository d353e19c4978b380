export declare function routeLabel(url: string | undefined): string;
