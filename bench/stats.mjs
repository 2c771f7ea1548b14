// Small helpers shared by the benchmarks: the median and other quantiles, and the one JSON line a child prints for
// bench/run.mjs.
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The value below which a fraction `q` of `values` lie (the nearest rank). */
export const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.round(q * (values.length - 1))];

export const print = (result) => process.stdout.write(JSON.stringify(result) + "\n");
