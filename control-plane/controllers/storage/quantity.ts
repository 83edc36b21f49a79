// control-plane/controllers/storage/quantity.ts — the byte value of a storage quantity ("1Gi", "500M", "2e9"),
// for comparing a claim's request with a volume's capacity, and for the registry's PV/PVC validation.
// Unparsable → NaN (never fits). PURE.
const SUFFIX: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function quantityOf(q: unknown): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(String(q ?? '').trim());
  return m && SUFFIX[m[2]!] !== undefined ? Number(m[1]) * SUFFIX[m[2]!]! : Number.NaN;
}
