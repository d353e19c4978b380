"use client";

import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export type ChartSeries = { label: string; values: (number | null)[]; color: string; dash?: boolean };

type Props = {
  id: string;
  title: string;
  description: string;
  /** Bin times, Unix seconds. */
  x: number[];
  series: ChartSeries[];
  format: (v: number) => string;
  /** What a series' legend value is: its latest bin (default) or its sum over the window. */
  legend?: "latest" | "total";
  bars?: boolean;
  /** Whole numbers only (counts): no 0.5 ticks. */
  integer?: boolean;
  height?: number;
};

const WHOLE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 1_000_000];

function useDark() {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    setDark(media.matches);
    const change = () => setDark(media.matches);
    media.addEventListener("change", change);
    return () => media.removeEventListener("change", change);
  }, []);
  return dark;
}

const latest = (values: (number | null)[]) => {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
};
const total = (values: (number | null)[]) => values.reduce<number>((n, v) => n + (v ?? 0), 0);

/**
 * A time series chart (uPlot, on a canvas) with an HTML legend that says each series' figure in
 * words, so the chart reads without the picture (the canvas is one labelled image to a screen
 * reader). The chart is made once per shape (series, theme) and fed new data in place.
 */
export function TimeChart({ id, title, description, x, series, format, legend = "latest", bars = false, integer = false, height = 190 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dark = useDark();
  const sparse = (s: ChartSeries) => s.values.filter((v) => v !== null).length < 4;
  const shape = `${series.map((s) => `${s.label}|${s.color}|${sparse(s)}`).join(",")}|${dark}|${bars}`;
  const data = [x, ...series.map((s) => s.values)] as uPlot.AlignedData;
  const dataRef = useRef(data);
  dataRef.current = data;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axis = dark ? "#a1a1aa" : "#52525b";
    const grid = dark ? "rgba(255,255,255,0.08)" : "rgba(0,0,0,0.07)";
    const barPaths = bars ? uPlot.paths.bars!({ size: [0.8, 18] }) : undefined;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 0) * 1.15)] } },
      axes: [
        { stroke: axis, grid: { stroke: grid }, ticks: { stroke: grid } },
        { stroke: axis, grid: { stroke: grid }, ticks: { stroke: grid }, size: 68, values: (_u, ticks) => ticks.map((t) => format(t)), ...(integer ? { incrs: WHOLE_STEPS } : {}) },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: bars ? s.color : undefined,
          dash: s.dash ? [6, 4] : undefined,
          paths: barPaths,
          // A series of a few minutes is dots (a lone value draws no line); a longer one is a line.
          points: { show: !bars && sparse(s), size: 6 },
          spanGaps: false,
        })),
      ],
    };
    plot.current = new uPlot(opts, dataRef.current, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its shape changes; data flows in through setData below.
  }, [shape, height, integer]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const figures = series.map((s) => {
    const v = legend === "total" ? total(s.values) : latest(s.values);
    return { ...s, text: v === null ? "no data" : format(v) };
  });
  const summary = figures.map((f) => `${f.label}: ${f.text}`).join("; ");
  return (
    <figure
      aria-labelledby={`${id}-title`}
      data-testid={`chart-${id}`}
      className="min-w-0 rounded-xl border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <figcaption className="mb-2">
        <h2 id={`${id}-title`} className="font-semibold">
          {title}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
      </figcaption>
      <div ref={box} role="img" aria-label={`${title}. ${legend === "total" ? "Totals" : "Latest"}: ${summary || "no series yet"}`} />
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300" aria-label={`${title}: ${legend === "total" ? "totals" : "latest values"}`}>
        {figures.length === 0 ? <li>No data yet.</li> : null}
        {figures.map((f) => (
          <li key={f.label} className="flex items-center gap-1.5" data-series={f.label}>
            <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: f.color }} />
            <span>{f.label}</span>
            <span className="font-medium tabular-nums text-zinc-950 dark:text-white" data-testid="series-value">
              {f.text}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
