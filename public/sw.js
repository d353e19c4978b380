// Herald's service worker: shows web pushes (payload {id, title, body, url, action, priority, category})
// and, on click, marks the notification read (and, when it has an action, records the click-through)
// and opens Herald at its action.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function parse(event) {
  try {
    const p = event.data ? event.data.json() : null;
    if (p && typeof p.id === "string" && typeof p.title === "string") return p;
  } catch {}
  return null;
}

self.addEventListener("push", (event) => {
  const p = parse(event);
  if (!p) return;
  event.waitUntil(
    self.registration.showNotification(p.title, {
      body: typeof p.body === "string" ? p.body : "",
      icon: "/icon.svg",
      badge: "/icon.svg",
      tag: `herald-${p.id}`,
      data: { id: p.id, url: typeof p.url === "string" ? p.url : "/notifications", action: p.action === true },
      requireInteraction: p.priority === "urgent",
      actions: [{ action: "open", title: "Open" }],
    }),
  );
});

/** http(s) links only (a path resolves against this origin); anything else opens the inbox. */
function target(url) {
  try {
    const u = new URL(url, self.location.origin);
    if (u.protocol === "https:" || u.protocol === "http:") return u.href;
  } catch {}
  return new URL("/notifications", self.location.origin).href;
}

async function handleClick(notification) {
  notification.close();
  const { id, url, action } = notification.data || {};
  const href = target(url || "/notifications");
  if (id && action) {
    // Its action is opened: a click-through, which reads it too (POST /api/notifications/{id}/click).
    await fetch(`/api/notifications/${encodeURIComponent(id)}/click`, { method: "POST", credentials: "same-origin", keepalive: true }).catch(() => {});
  } else if (id) {
    await fetch(`/api/notifications/${encodeURIComponent(id)}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ read: true }),
      credentials: "same-origin",
    }).catch(() => {});
  }
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const mine = windows.find((c) => new URL(c.url).origin === self.location.origin);
  if (mine && new URL(href).origin === self.location.origin) {
    const navigated = await mine.navigate(href).catch(() => null);
    return (navigated || mine).focus().catch(() => {});
  }
  return self.clients.openWindow(href);
}
// The click handler by name, so it can be driven without a desktop notification to click.
self.heraldHandleClick = handleClick;

self.addEventListener("notificationclick", (event) => event.waitUntil(handleClick(event.notification)));
