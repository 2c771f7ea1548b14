// Small helpers shared by the benchmark children: the median, and the one JSON line a child prints for bench/run.mjs.
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const print = (result) => process.stdout.write(JSON.stringify(result) + "\n");
