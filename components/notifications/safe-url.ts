import { actionTarget, type ActionTarget } from "@/lib/notifications/action-url";

/**
 * The browser's guard on action URLs: the same rule the API validates with (lib/notifications/
 * action-url.ts), applied again because rows written by other programs never met the API.
 */
export type SafeTarget = ActionTarget;

export function safeActionTarget(url: string | null | undefined, origin = typeof window === "undefined" ? "" : window.location.origin): SafeTarget | null {
  return actionTarget(url, origin);
}

/** Opens an action URL safely; returns false when it was refused. */
export function openActionUrl(url: string | null | undefined, navigate: (path: string) => void): boolean {
  const target = safeActionTarget(url);
  if (!target) return false;
  if (target.kind === "internal") navigate(target.path);
  else window.open(target.href, "_blank", "noopener,noreferrer");
  return true;
}
