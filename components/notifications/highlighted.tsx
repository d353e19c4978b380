import type { HighlightSegment } from "@/lib/notifications/dto";

/** Search matches as `<mark>` runs; every run renders as text. */
export function Highlighted({ segments }: { segments: HighlightSegment[] }) {
  return segments.map((s, i) =>
    s.match ? (
      <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-zinc-950 dark:bg-amber-300/25 dark:text-amber-50">
        {s.text}
      </mark>
    ) : (
      <span key={i}>{s.text}</span>
    ),
  );
}
