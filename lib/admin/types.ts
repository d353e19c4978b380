// What GET /api/admin/stats answers and the dashboard draws (no server imports here).

/** Times are Unix seconds; a series has one value per bin (null: no sample in it). */
export type Series = (number | null)[];

export type InstanceStatus = "ok" | "degraded" | "draining" | "stopped" | "silent";

export type InstanceDTO = {
  id: string;
  /** host:pid, as the charts name it. */
  label: string;
  hostname: string;
  pid: number;
  startedAt: string;
  seenAt: string;
  stoppedAt: string | null;
  status: InstanceStatus;
  /** Its /api/health answer as of its last sample. */
  health: Record<string, unknown>;
  rssBytes: number | null;
};

export type AdminStatsDTO = {
  generatedAt: string;
  sampleIntervalS: number;
  /** The last hour, one bin a minute (the current minute last). */
  minutes: number[];
  notificationsPerMinute: { category: string; counts: number[] }[];
  deliveredPerMinute: number[];
  /** Commit to frame written, across instances, in milliseconds. */
  latencyMs: { p50: Series; p95: Series };
  streams: { instance: string; label: string; values: Series }[];
  queue: { depth: Series; requests: number[]; serverErrors: number[]; channelFailures: number[]; errorRate: Series };
  /** The last 24 hours, one bin an hour. */
  hours: number[];
  channels: { channel: string; status: string; counts: number[]; total: number }[];
  engagement: { category: string; sent: number; read: number; withAction: number; clicked: number; readRate: number | null; clickRate: number | null }[];
  instances: InstanceDTO[];
};
