/**
 * Where an action URL may take the user: a same-origin path (opened in the app) or an http(s) URL
 * (opened in a new tab). Anything else (javascript:, data:, //evil.example) is refused. The server
 * validates on write; this guards the browser against rows written by other programs.
 */
export type SafeTarget = { kind: "internal"; path: string } | { kind: "external"; href: string };

export function safeActionTarget(url: string | null | undefined, origin = typeof window === "undefined" ? "" : window.location.origin): SafeTarget | null {
  if (!url) return null;
  const value = url.trim();
  if (value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\")) {
    return { kind: "internal", path: value };
  }
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    if (origin && parsed.origin === origin) return { kind: "internal", path: `${parsed.pathname}${parsed.search}${parsed.hash}` };
    return { kind: "external", href: parsed.href };
  } catch {
    return null;
  }
}

/** Opens an action URL safely; returns false when it was refused. */
export function openActionUrl(url: string | null | undefined, navigate: (path: string) => void): boolean {
  const target = safeActionTarget(url);
  if (!target) return false;
  if (target.kind === "internal") navigate(target.path);
  else window.open(target.href, "_blank", "noopener,noreferrer");
  return true;
}
