// What the shared components ask of Next.js's router, for a host page that has none: a plain
// navigation, and the host's path (no Herald chat room is ever on screen there). One router object,
// as Next's is: effects that depend on it must not start again on every render.
const router = { push: (url: string) => window.location.assign(url) };

export function useRouter() {
  return router;
}

export function usePathname() {
  return typeof window === "undefined" ? "" : window.location.pathname;
}
