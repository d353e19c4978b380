import { describe, expect, it } from "vitest";
import { addBuckets, histogramQuantile } from "@/lib/admin/histogram";

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1];

describe("histogram quantiles (as PromQL's histogram_quantile)", () => {
  it("interpolate within the bucket the rank falls in", () => {
    // 10 observations: 4 under 5 ms, 4 between 5 and 10 ms, 2 between 10 and 25 ms; +Inf last.
    const cumulative = [4, 8, 10, 10, 10, 10];
    expect(histogramQuantile(0.5, BOUNDS, cumulative)).toBeCloseTo(0.005 + 0.005 * (1 / 4), 10);
    expect(histogramQuantile(0.2, BOUNDS, cumulative)).toBeCloseTo(0.0025, 10);
    expect(histogramQuantile(0.95, BOUNDS, cumulative)).toBeCloseTo(0.01 + 0.015 * (1.5 / 2), 10);
  });

  it("say the highest bound for ranks beyond it, and nothing without observations", () => {
    expect(histogramQuantile(0.95, BOUNDS, [0, 0, 0, 0, 1, 10])).toBe(0.1);
    expect(histogramQuantile(0.5, BOUNDS, [0, 0, 0, 0, 0, 0])).toBeNull();
    expect(histogramQuantile(0.5, BOUNDS, [])).toBeNull();
  });

  it("add up across instances and samples", () => {
    const total = addBuckets(addBuckets([], [1, 2, 3, 3, 3, 3]), [0, 1, 1, 2, 2, 2]);
    expect(total).toEqual([1, 3, 4, 5, 5, 5]);
    expect(histogramQuantile(1, BOUNDS, total)).toBe(0.05);
  });
});
