// agent/node/machine-info.ts — what the kubelet learns about its machine (cadvisor's MachineInfo and
// VersionInfo): ids, kernel, OS image, architecture, and the resource capacity and allocatable it reports.
//
// Read by node-status.ts on every status computation (cheap: a few small files and one statfs). Capacity
// follows the kubelet: cpu = logical CPUs, memory and ephemeral-storage (statfs of the root dir) as binary
// quantities, pods = maxPods, one hugepages-<size> per page size the kernel offers (pages × size). Allocatable
// subtracts what the kubelet's default hard eviction thresholds reserve (memory.available<100Mi,
// nodefs.available<10%) and the hugepages from memory, so it reads like a real node's.
import { readdirSync, readFileSync, statfsSync } from 'node:fs';
import { availableParallelism, release, totalmem } from 'node:os';

export interface MachineInfo {
  readonly machineID: string;
  readonly systemUUID: string;
  readonly bootID: string;
  readonly kernelVersion: string;
  readonly osImage: string;
  readonly architecture: string;
}

/** Where the facts come from (tests point these elsewhere). */
export interface MachinePaths {
  readonly machineId: string;
  readonly productUuid: string;
  readonly bootId: string;
  readonly osRelease: string;
  readonly hugepages: string;
}

export const LINUX_PATHS: MachinePaths = {
  machineId: '/etc/machine-id', productUuid: '/sys/class/dmi/id/product_uuid', bootId: '/proc/sys/kernel/random/boot_id',
  osRelease: '/etc/os-release', hugepages: '/sys/kernel/mm/hugepages',
};

/** The kubelet's default evictionHard thresholds that node allocatable subtracts. */
const EVICTION_MEMORY_AVAILABLE = 100 * 2 ** 20;
const EVICTION_NODEFS_AVAILABLE = 0.1;

const readText = (path: string): string => { try { return readFileSync(path, 'utf8').trim(); } catch { return ''; } };

/** Go's GOARCH for Node's process.arch. */
export function goArch(arch: string = process.arch): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' } as Record<string, string>)[arch] ?? arch;
}

function osImage(osRelease: string): string {
  const m = /^PRETTY_NAME=(?:"([^"\n]*)"|'([^'\n]*)'|(.*))$/m.exec(readText(osRelease));
  return m?.[1] ?? m?.[2] ?? m?.[3] ?? 'Linux';
}

export function machineInfo(paths: MachinePaths = LINUX_PATHS): MachineInfo {
  return {
    machineID: readText(paths.machineId), systemUUID: readText(paths.productUuid), bootID: readText(paths.bootId),
    kernelVersion: release(), osImage: osImage(paths.osRelease), architecture: goArch(),
  };
}

const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** A byte count as a Kubernetes BinarySI quantity prints it: the largest exact binary suffix, else plain. */
export function binaryQuantity(bytes: number): string {
  let v = Math.max(0, Math.floor(bytes));
  let i = 0;
  while (v !== 0 && v % 1024 === 0 && i < BINARY_SUFFIXES.length - 1) { v /= 1024; i++; }
  return `${v}${BINARY_SUFFIXES[i]}`;
}

/** `hugepages-2048kB` → `2Mi` (the resource name's size part), with the size in bytes. */
function hugePageSize(dir: string): { name: string; bytes: number } | undefined {
  const m = /^hugepages-(\d+)kB$/.exec(dir);
  if (!m) return undefined;
  const bytes = Number(m[1]) * 1024;
  return { name: binaryQuantity(bytes), bytes };
}

/** hugepages-<size> → total bytes reserved in pages of that size; `hugepages-2Mi: 0` when the kernel says nothing. */
function hugePages(dir: string): Record<string, number> {
  let entries: string[];
  try { entries = readdirSync(dir); } catch { return { 'hugepages-2Mi': 0 }; }
  const out: Record<string, number> = {};
  for (const e of entries.sort()) {
    const size = hugePageSize(e);
    if (!size) continue;
    const pages = Number(readText(`${dir}/${e}/nr_hugepages`)) || 0;
    out[`hugepages-${size.name}`] = pages * size.bytes;
  }
  return Object.keys(out).length ? out : { 'hugepages-2Mi': 0 };
}

function fsBytes(path: string): number | undefined {
  try {
    const s = statfsSync(path);
    return s.blocks * s.bsize;
  } catch {
    return undefined;
  }
}

export interface Resources {
  readonly capacity: Record<string, string>;
  readonly allocatable: Record<string, string>;
}

/** The node's capacity and allocatable now. */
export function resources(o: { maxPods: number; rootDir: string; paths?: MachinePaths }): Resources {
  const memory = totalmem();
  const storage = fsBytes(o.rootDir);
  const huge = hugePages((o.paths ?? LINUX_PATHS).hugepages);
  const hugeTotal = Object.values(huge).reduce((a, b) => a + b, 0);
  const capacity: Record<string, string> = { cpu: String(availableParallelism()) };
  const allocatable: Record<string, string> = { cpu: capacity['cpu']! };
  if (storage !== undefined) {
    capacity['ephemeral-storage'] = binaryQuantity(storage);
    allocatable['ephemeral-storage'] = binaryQuantity(storage - Math.floor(storage * EVICTION_NODEFS_AVAILABLE));
  }
  for (const [k, v] of Object.entries(huge)) capacity[k] = allocatable[k] = binaryQuantity(v);
  capacity['memory'] = binaryQuantity(memory);
  allocatable['memory'] = binaryQuantity(memory - EVICTION_MEMORY_AVAILABLE - hugeTotal);
  capacity['pods'] = allocatable['pods'] = String(o.maxPods);
  return { capacity, allocatable };
}
