/**
 * A quantile of a Prometheus-style histogram (cumulative counts per upper bound, +Inf last), the
 * way PromQL's histogram_quantile estimates it: linear within the bucket the rank falls in; in the
 * +Inf bucket, the highest finite bound. Null when there are no observations.
 */
export function histogramQuantile(q: number, bounds: readonly number[], cumulative: readonly number[]): number | null {
  const total = cumulative.at(-1) ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (cumulative[i] >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1];
      const below = i === 0 ? 0 : cumulative[i - 1];
      const inBucket = cumulative[i] - below;
      return inBucket === 0 ? bounds[i] : lower + ((bounds[i] - lower) * (rank - below)) / inBucket;
    }
  }
  return bounds.at(-1) ?? null;
}

/** Adds cumulative bucket arrays of equal length (several instances, several samples). */
export function addBuckets(into: number[], more: readonly number[]) {
  for (let i = 0; i < more.length; i++) into[i] = (into[i] ?? 0) + more[i];
  return into;
}
