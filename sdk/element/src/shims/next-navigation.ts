// What the shared components ask of Next.js's router, for a host page that has none: a plain
// navigation, and the host's path (no Herald chat room is ever on screen there).
export function useRouter() {
  return { push: (url: string) => window.location.assign(url) };
}

export function usePathname() {
  return typeof window === "undefined" ? "" : window.location.pathname;
}
