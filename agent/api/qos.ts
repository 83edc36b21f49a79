// agent/api/qos.ts — the pod QoS class (Guaranteed / Burstable / BestEffort), as GetPodQOS computes it.
// A pure function of the pod spec, read by the status generator (status.qosClass) and by kuberuntime
// (the OOM score adjustment), so it sits with the API types below both.
//
// Owns the exact quantity arithmetic this needs: quantities are parsed into integer nano-units (BigInt), so
// sums and equality are exact like resource.Quantity (`0.1` + `0.2` equals `300m`, `1Gi` equals `1024Mi`).
import type { Container, Pod } from './v1.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'];

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** A quantity in nano-units, rounded up (the API keeps nothing finer than 1n); undefined when malformed. */
export function quantityNanos(q: string | number): bigint | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/.exec(String(q).trim());
  if (!m) return undefined;
  const [, sign, whole = '', frac = '', exp, suffix = ''] = m;
  if (whole === '' && frac === '') return undefined;
  let digits = BigInt((whole + frac) || '0');
  let scale = -frac.length + 9 + Number(exp ?? 0);
  if (suffix in BINARY) digits *= 2n ** BigInt(BINARY[suffix]!);
  else scale += DECIMAL[suffix]!;
  let value: bigint;
  if (scale >= 0) value = digits * 10n ** BigInt(scale);
  else {
    const div = 10n ** BigInt(-scale);
    value = (digits + div - 1n) / div; // round up
  }
  return sign === '-' ? -value : value;
}

function sumPositive(into: Map<string, bigint>, list: Record<string, string | number> | undefined, found?: Set<string>): void {
  for (const [name, q] of Object.entries(list ?? {})) {
    if (!QOS_RESOURCES.includes(name)) continue;
    const v = quantityNanos(q);
    if (v === undefined || v <= 0n) continue;
    found?.add(name);
    into.set(name, (into.get(name) ?? 0n) + v);
  }
}

/** The QoS class from the spec alone (ComputePodQOS, over regular and init containers). */
export function computeQOSClass(pod: Pod): QOSClass {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const all: Container[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of all) {
    sumPositive(requests, c.resources?.requests as Record<string, string> | undefined);
    const found = new Set<string>();
    sumPositive(limits, c.resources?.limits as Record<string, string> | undefined, found);
    if (!found.has('memory') || !found.has('cpu')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      if (limits.get(name) !== req) { guaranteed = false; break; }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** GetPodQOS: a class already recorded in the status wins, else it is computed. */
export function getPodQOS(pod: Pod): QOSClass {
  const recorded = pod.status?.qosClass;
  return recorded ? (recorded as QOSClass) : computeQOSClass(pod);
}
