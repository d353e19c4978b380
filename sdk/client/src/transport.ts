// How the headless client reaches Herald. Herald's own pages: same origin, the session cookie, a 401
// sends the user to sign in. A host page (the embeddable inbox): Herald's origin, a subscriber token
// from the host (`getToken`) as `Authorization: Bearer`, fetched again 60 s before it expires and
// after any 401. One transport per page: every request, the stream included, goes through it.

export type HeraldError = { code: string; message: string };

export type TransportOptions = {
  /** Herald's origin; "" (the default) is the page's own. */
  server?: string;
  /** A subscriber token for the host's signed-in user; without it the cookie is used. */
  getToken?: () => Promise<string>;
  /** A 401 that a fresh token did not cure (or the cookie session ended). */
  onUnauthorized?: () => void;
  /** Something the host should hear about: a bad token, an origin Herald refuses, Herald unreachable. */
  onError?: (error: HeraldError) => void;
};

const REFRESH_BEFORE_EXP_MS = 60_000;
const PASSED_ON = new Set(["invalid_token", "origin_not_allowed"]);

/** The `exp` of a JWT in milliseconds, or null (the signature is Herald's business, not ours). */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

export class Transport {
  readonly server: string;
  private token: Promise<string> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: TransportOptions = {}) {
    this.server = (options.server ?? "").replace(/\/+$/, "");
  }

  get usesToken() {
    return Boolean(this.options.getToken);
  }

  url(path: string) {
    return this.server + path;
  }

  /** The current token, fetched once and shared by every request waiting for it. */
  private currentToken(): Promise<string> {
    if (!this.token) {
      const pending = this.options.getToken!().then((token) => {
        if (typeof token !== "string" || !token) throw new TypeError("getToken returned no token");
        this.schedule(token);
        return token;
      });
      pending.catch(() => {
        if (this.token === pending) this.token = null;
      });
      this.token = pending;
    }
    return this.token;
  }

  /** Fetches the next token before this one expires, so the stream and requests never present a dead one. */
  private schedule(token: string) {
    clearTimeout(this.refreshTimer);
    const exp = tokenExpiry(token);
    if (exp === null) return;
    // 60 s ahead; a token living less than two minutes is replaced at half its life instead, so
    // that a short one is not asked for again and again.
    const left = exp - Date.now();
    const wait = Math.max(left / 2, left - REFRESH_BEFORE_EXP_MS, 0);
    this.refreshTimer = setTimeout(() => {
      this.token = null;
      void this.currentToken().catch(() => {});
    }, wait);
  }

  /** The token is refused: the next request asks the host for another. */
  invalidate() {
    this.token = null;
  }

  stop() {
    clearTimeout(this.refreshTimer);
  }

  /** The session or token is over for good (the stream's check said so too). */
  unauthorized() {
    this.options.onUnauthorized?.();
  }

  report(error: HeraldError) {
    this.options.onError?.(error);
  }

  /**
   * fetch() against Herald. With a token: one retry with a fresh token after a 401. A failure that
   * leaves no response is a CORS refusal when Herald itself answers (its script is readable from any
   * origin): the page's origin is not one the app allows. Otherwise Herald is out of reach.
   */
  async fetch(path: string, init: RequestInit = {}, retried = false): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.usesToken) {
      let token: string;
      try {
        token = await this.currentToken();
      } catch {
        this.report({ code: "token_unavailable", message: "The host's token endpoint gave no token" });
        throw new TypeError("no token");
      }
      headers.set("Authorization", `Bearer ${token}`);
    }
    let res: Response;
    try {
      res = await fetch(this.url(path), { ...init, headers, ...(this.usesToken ? { credentials: "omit" } : {}) });
    } catch (err) {
      if (this.usesToken && !init.signal?.aborted) void this.diagnose();
      throw err;
    }
    if (res.status === 401 && this.usesToken && !retried) {
      this.invalidate();
      return this.fetch(path, init, true);
    }
    if (res.status === 401) this.unauthorized();
    if ((res.status === 401 || res.status === 403) && this.usesToken) {
      const body = (await res.clone().json().catch(() => null)) as { error?: HeraldError } | null;
      if (body?.error && PASSED_ON.has(body.error.code)) this.report(body.error);
    }
    return res;
  }

  private async diagnose() {
    const up = await fetch(this.url("/embed/v1/herald.js"), { method: "HEAD", credentials: "omit" }).then(
      (r) => r.ok,
      () => false,
    );
    this.report(
      up
        ? { code: "origin_not_allowed", message: `Herald does not allow this page's origin (${location.origin}): add it to the app's allowed origins` }
        : { code: "server_unreachable", message: `Herald (${this.server || location.origin}) cannot be reached` },
    );
  }
}

// Herald's own pages: a session that ended sends the user to sign in, and back here afterwards.
let current = new Transport({
  onUnauthorized() {
    if (typeof window !== "undefined") window.location.href = `/signin?callbackUrl=${encodeURIComponent(window.location.pathname)}`;
  },
});

/** The page's transport. Herald's pages keep the default; the embeddable inbox installs its own. */
export const transport = () => current;

export function setTransport(next: Transport) {
  current.stop();
  current = next;
}
