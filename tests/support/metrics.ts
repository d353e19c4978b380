import { expect } from "vitest";
import { BASE_URL } from "./env";

// scripts/test.mjs gives the server this token.
export const TOKEN = process.env.HERALD_METRICS_TOKEN ?? "test-metrics-token-0123456789abcdef";

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The Prometheus text format, sample lines only (label values here never hold quotes or commas). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of m[2] ? m[2].match(/[a-zA-Z_]+="[^"]*"/g) ?? [] : []) {
      const i = pair.indexOf("=");
      labels[pair.slice(0, i)] = pair.slice(i + 2, -1);
    }
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

export class Scrape {
  constructor(readonly text: string, readonly samples = parse(text)) {}
  /** Sum of the samples of `name` whose labels include `labels` (0 when none exists yet). */
  value(name: string, labels: Record<string, string> = {}) {
    return this.samples
      .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  }
}

export async function scrape(): Promise<Scrape> {
  const res = await fetch(`${BASE_URL()}/api/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return new Scrape(await res.text());
}
