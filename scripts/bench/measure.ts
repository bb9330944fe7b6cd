/** Runs `fn` for a warm-up and then `iterations` times; returns per-call percentiles in µs. */
export async function measure(iterations: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number; mean: number }> {
  for (let i = 0; i < Math.min(50, iterations); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    samples.push((performance.now() - start) * 1000);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p95: at(0.95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

export function report(name: string, result: { p50: number; p95: number; mean: number }, baseline?: { p50: number }): void {
  const ratio = baseline ? `  (${(result.p50 / baseline.p50).toFixed(1)}× baseline)` : '';
  console.log(`${name.padEnd(48)} p50 ${result.p50.toFixed(0).padStart(7)} µs   p95 ${result.p95.toFixed(0).padStart(7)} µs${ratio}`);
}
