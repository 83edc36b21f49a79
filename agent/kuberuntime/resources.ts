// agent/kuberuntime/resources.ts — PURE: a container's requests/limits → CRI Linux resources, as the kubelet's
// calculateLinuxResources and qos.GetContainerOOMScoreAdjust compute them (semantics §12).
//
// cpu.shares from the request (the limit when no request is written; 2 when neither), CFS quota from the
// limit over a 100 ms period (none without a limit), the memory limit as the hard limit, and the OOM score
// adjustment of the pod's QoS class. Integer arithmetic as in Go (division truncates).
import type { LinuxContainerResources } from '../../cri/api.js';
import type { Container, Pod } from '../api/v1.js';
import { computeQOSClass } from '../api/qos.js';
import { parseCPU, parseMemory } from '../util/quantity.js';

export const CPU_PERIOD_US = 100_000;
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const SHARES_PER_CPU = 1024;
const MIN_QUOTA_PERIOD = 1000;
export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;

/** cm.MilliCPUToShares: 0 → 2; else milli·1024/1000 truncated, within [2, 262144]. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU <= 0) return MIN_SHARES;
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((milliCPU * SHARES_PER_CPU) / 1000)));
}

/** milliCPUToQuota: 0 → no quota; else milli·period/1000 truncated, at least 1000 µs. */
export function milliCPUToQuota(milliCPU: number, periodUs: number = CPU_PERIOD_US): number {
  if (milliCPU <= 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.floor((milliCPU * periodUs) / 1000));
}

const quantity = (list: Record<string, unknown> | undefined, name: string): string | undefined => {
  const v = list?.[name];
  return v === undefined || v === null ? undefined : String(v);
};

/** The container's memory request in bytes (0 when none). */
export function memoryRequestBytes(c: Container): number {
  const q = quantity(c.resources?.requests, 'memory');
  return q === undefined ? 0 : parseMemory(q);
}

/** qos.GetContainerOOMScoreAdjust: Guaranteed −997, BestEffort 1000, Burstable by its memory request. */
export function containerOOMScoreAdj(pod: Pod, c: Container, nodeMemoryBytes: number): number {
  const qos = pod.status?.qosClass ?? computeQOSClass(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const adj = nodeMemoryBytes > 0 ? 1000 - Math.trunc((1000 * memoryRequestBytes(c)) / nodeMemoryBytes) : 1000;
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BESTEFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

/** The CRI resources of one container. */
export function linuxResources(pod: Pod, c: Container, nodeMemoryBytes: number): LinuxContainerResources {
  const cpuReq = quantity(c.resources?.requests, 'cpu');
  const cpuLim = quantity(c.resources?.limits, 'cpu');
  const memLim = quantity(c.resources?.limits, 'memory');
  const limitMilli = cpuLim !== undefined ? parseCPU(cpuLim) : 0;
  // A limit without a request: the request is the limit (the API does it too; the kubelet repeats it).
  const sharesFrom = cpuReq === undefined && limitMilli > 0 ? limitMilli : cpuReq !== undefined ? parseCPU(cpuReq) : 0;
  const quota = milliCPUToQuota(limitMilli);
  const mem = memLim !== undefined ? parseMemory(memLim) : 0;
  return {
    cpuShares: milliCPUToShares(sharesFrom),
    cpuPeriod: CPU_PERIOD_US,
    ...(quota > 0 ? { cpuQuota: quota } : {}),
    ...(mem > 0 ? { memoryLimitInBytes: mem } : {}),
    oomScoreAdj: containerOOMScoreAdj(pod, c, nodeMemoryBytes),
  };
}
