import type { NotificationDTO } from "@/lib/notifications/dto";

export type NotificationPage = { items: NotificationDTO[]; nextCursor: string | null; unreadCount: number };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { ...(init?.body ? { "Content-Type": "application/json" } : {}), ...init?.headers },
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? res.statusText);
  }
  return (await res.json()) as T;
}

/** Each query's key and fetcher live together. */
export const notificationsQuery = {
  queryKey: ["notifications", "list"] as const,
  queryFn: () => fetchJson<NotificationPage>("/api/notifications?limit=20"),
};

export const markReadRequest = (id: string) =>
  fetchJson<NotificationDTO>(`/api/notifications/${encodeURIComponent(id)}/read`, { method: "POST" });
