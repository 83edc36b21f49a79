// agent/util/quantity.ts — Kubernetes resource quantities: CPU to millicores, memory to bytes.
const BIN: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DEC: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parses a quantity (`128Mi`, `1.5G`, `100m`, `2`, `1e3`) into its numeric value; NaN when malformed. */
export function parseQuantity(q: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)$/.exec(q.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  return n * (BIN[suffix] ?? DEC[suffix] ?? NaN);
}

/** CPU quantity → millicores (rounded up, as the API does). */
export function parseCPU(q: string): number {
  return Math.ceil(parseQuantity(q) * 1000 - 1e-9);
}

/** Memory quantity → bytes (rounded up). */
export function parseMemory(q: string): number {
  return Math.ceil(parseQuantity(q) - 1e-9);
}
