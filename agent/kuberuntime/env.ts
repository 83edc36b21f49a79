// agent/kuberuntime/env.ts — resolves a container's env and envFrom into the final name/value pairs, as the
// kubelet's makeEnvironmentVariables does.
//
// envFrom first (keys with the prefix; keys that are not valid variable names are skipped and reported),
// then env in order: `value` is $(VAR)-expanded against everything defined so far, valueFrom results are
// taken as they are. fieldRef (downward API fields), resourceFieldRef (limits default to the node's
// allocatable, as defaultPodLimitsForDownwardAPI does), configMapKeyRef, secretKeyRef, optional refs. A
// missing, non-optional reference throws ContainerConfigError with the kubelet's message, which the executor
// reports as CreateContainerConfigError; the pod starts once the object appears. Later names override
// earlier ones in place. Also exports the field and resource lookups the downward API volume uses.
import { cpus, totalmem } from 'node:os';
import type { Container, Pod, ConfigMap, Secret } from '../api/v1.js';
import { ContainerConfigError } from './errors.js';
import type { ClaimResolver } from './pvc-types.js';
import { expandVars } from './expand.js';
import { parseCPU, parseMemory } from '../util/quantity.js';

export interface ConfigStore {
  getConfigMap(namespace: string, name: string): ConfigMap | undefined;
  getSecret(namespace: string, name: string): Secret | undefined;
  /** A PersistentVolumeClaim and its volume, from the API (pvc.ts); absent without an API. */
  getVolumeClaim?: ClaimResolver;
}

export interface NodeAllocatable {
  readonly cpuMilli: number;
  readonly memoryBytes: number;
  readonly ephemeralStorageBytes?: number;
}

export interface EnvContext {
  readonly podIP: string;
  readonly hostIP: string;
  readonly nodeName: string;
  /** Default: this machine's CPUs and memory. */
  readonly allocatable?: NodeAllocatable;
  /** Told about envFrom keys skipped as invalid names (reason, message), for a Warning event. */
  readonly warn?: (reason: string, message: string) => void;
}

export function machineAllocatable(): NodeAllocatable {
  return { cpuMilli: cpus().length * 1000, memoryBytes: totalmem() };
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** A Secret's value by key: stringData wins (the API server merges it into data on write). */
export function secretValue(s: Secret, key: string): string | undefined {
  if (s.stringData && key in s.stringData) return s.stringData[key];
  const b = s.data?.[key];
  return b === undefined ? undefined : Buffer.from(b, 'base64').toString('utf8');
}

export function secretKeys(s: Secret): string[] {
  return [...new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})])];
}

/** A label or annotation map as the downward API writes it: sorted `key="value"` lines. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {}).sort().map((k) => `${k}=${JSON.stringify(m![k])}`).join('\n');
}

/** The value of a downward API fieldPath. */
export function fieldRefValue(pod: Pod, path: string, ctx: Pick<EnvContext, 'podIP' | 'hostIP' | 'nodeName'>): string {
  const md = pod.metadata ?? {};
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? md.labels : md.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return md.name ?? '';
    case 'metadata.namespace': return md.namespace ?? 'default';
    case 'metadata.uid': return md.uid ?? '';
    case 'metadata.labels': return formatMap(md.labels);
    case 'metadata.annotations': return formatMap(md.annotations);
    case 'spec.nodeName': return ctx.nodeName;
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': case 'status.podIPs': return ctx.podIP;
    case 'status.hostIP': case 'status.hostIPs': return ctx.hostIP;
    default: throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

/** A resourceFieldRef value: ceil(quantity / divisor); unset limits are the node's allocatable. */
export function resourceFieldValue(
  pod: Pod, self: Container | undefined, ref: { containerName?: string; resource: string; divisor?: unknown }, allocatable: NodeAllocatable,
): string {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const target = ref.containerName ? all.find((x) => x.name === ref.containerName) : self;
  if (!target) throw new ContainerConfigError(`container ${ref.containerName} not found`);
  const dot = ref.resource.indexOf('.');
  const kind = ref.resource.slice(0, dot);
  const res = ref.resource.slice(dot + 1);
  if ((kind !== 'limits' && kind !== 'requests') || (!['cpu', 'memory', 'ephemeral-storage'].includes(res) && !res.startsWith('hugepages-'))) {
    throw new ContainerConfigError(`unsupported container resource : ${ref.resource}`);
  }
  const list = (kind === 'limits' ? target.resources?.limits : target.resources?.requests) as Record<string, unknown> | undefined;
  let q = list?.[res] !== undefined ? String(list[res]) : undefined;
  if (q === undefined && kind === 'limits') {
    if (res === 'cpu') q = `${allocatable.cpuMilli}m`;
    else if (res === 'memory') q = String(allocatable.memoryBytes);
    else if (res === 'ephemeral-storage') q = String(allocatable.ephemeralStorageBytes ?? 0);
  }
  const divisor = ref.divisor !== undefined && ref.divisor !== null && String(ref.divisor) !== '0' ? String(ref.divisor) : '1';
  if (q === undefined) return '0';
  if (res === 'cpu') return String(Math.ceil(parseCPU(q) / parseCPU(divisor)));
  return String(Math.ceil(parseMemory(q) / Math.max(1, parseMemory(divisor))));
}

function notFound(kind: 'configmap' | 'secret', name: string | undefined): ContainerConfigError {
  return new ContainerConfigError(`${kind} "${name ?? ''}" not found`);
}

export function resolveEnv(pod: Pod, c: Container, store: ConfigStore, ctx: EnvContext): { name: string; value: string }[] {
  const ns = pod.metadata?.namespace ?? 'default';
  const env = new Map<string, string>();
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let entries: [string, string][] = [];
    let what = '';
    if (from.configMapRef) {
      const cm = store.getConfigMap(ns, from.configMapRef.name ?? '');
      if (!cm) { if (from.configMapRef.optional) continue; throw notFound('configmap', from.configMapRef.name); }
      entries = Object.entries(cm.data ?? {});
      what = `configMap ${ns}/${from.configMapRef.name}`;
    } else if (from.secretRef) {
      const s = store.getSecret(ns, from.secretRef.name ?? '');
      if (!s) { if (from.secretRef.optional) continue; throw notFound('secret', from.secretRef.name); }
      entries = secretKeys(s).map((k) => [k, secretValue(s, k) ?? '']);
      what = `secret ${ns}/${from.secretRef.name}`;
    }
    const invalid: string[] = [];
    for (const [k, v] of entries) {
      if (!ENV_NAME.test(prefix + k)) { invalid.push(k); continue; }
      env.set(prefix + k, v);
    }
    if (invalid.length) {
      ctx.warn?.('InvalidEnvironmentVariableNames', `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${what} were skipped since they are considered invalid environment variable names.`);
    }
  }
  const allocatable = ctx.allocatable ?? machineAllocatable();
  for (const e of c.env ?? []) {
    const vf = e.valueFrom;
    if (!vf) { env.set(e.name, e.value ? expandVars(e.value, env) : ''); continue; }
    if (vf.fieldRef) env.set(e.name, fieldRefValue(pod, vf.fieldRef.fieldPath, ctx));
    else if (vf.resourceFieldRef) env.set(e.name, resourceFieldValue(pod, c, vf.resourceFieldRef, allocatable));
    else if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = store.getConfigMap(ns, ref.name ?? '');
      if (!cm) { if (ref.optional) continue; throw notFound('configmap', ref.name); }
      const v = cm.data?.[ref.key];
      if (v === undefined) { if (ref.optional) continue; throw new ContainerConfigError(`couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}`); }
      env.set(e.name, v);
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = store.getSecret(ns, ref.name ?? '');
      if (!s) { if (ref.optional) continue; throw notFound('secret', ref.name); }
      const v = secretValue(s, ref.key);
      if (v === undefined) { if (ref.optional) continue; throw new ContainerConfigError(`couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`); }
      env.set(e.name, v);
    }
  }
  return [...env].map(([name, value]) => ({ name, value }));
}
