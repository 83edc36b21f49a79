// agent/timeline/workload-fetch.ts — the I/O of the workload timeline: which kinds `timeline KIND/NAME`
// takes (kubectl's names and short names), and gathering the model's input from the API server and the
// agent on the same --server: the object, what it owns down the ownerReference tree (ReplicaSets of a
// Deployment, Jobs of a CronJob, then their pods), the namespace's Events, and the agent's lifecycle record
// of every pod the tree has or had (the agent keeps removed pods' records for a while; a pod it never ran or
// no longer remembers is drawn from its status and Events).
import { HttpKubeClient, PODS, EVENTS, ApiError, type KubeObject, type ResourceRef } from '../../client/index.js';
import type { Event, Pod } from '../api/v1.js';
import type { PodRecord } from './workload-pods.js';
import { podNamesOf, type WorkloadInput } from './workload-model.js';

export interface WorkloadKind { readonly kind: string; readonly ref: ResourceRef; readonly owns?: { kind: string; ref: ResourceRef } }

const ref = (group: string, resource: string): ResourceRef => ({ group, version: 'v1', resource, namespaced: true });
const RS = { kind: 'ReplicaSet', ref: ref('apps', 'replicasets') };
const JOB = { kind: 'Job', ref: ref('batch', 'jobs') };
const KINDS: { names: string[]; def: WorkloadKind }[] = [
  { names: ['deployment', 'deployments', 'deploy'], def: { kind: 'Deployment', ref: ref('apps', 'deployments'), owns: RS } },
  { names: ['replicaset', 'replicasets', 'rs'], def: RS },
  { names: ['statefulset', 'statefulsets', 'sts'], def: { kind: 'StatefulSet', ref: ref('apps', 'statefulsets') } },
  { names: ['daemonset', 'daemonsets', 'ds'], def: { kind: 'DaemonSet', ref: ref('apps', 'daemonsets') } },
  { names: ['job', 'jobs'], def: JOB },
  { names: ['cronjob', 'cronjobs', 'cj'], def: { kind: 'CronJob', ref: ref('batch', 'cronjobs'), owns: JOB } },
  { names: ['replicationcontroller', 'replicationcontrollers', 'rc'], def: { kind: 'ReplicationController', ref: ref('', 'replicationcontrollers') } },
];

export type Target = { pod: string } | { workload: WorkloadKind; name: string };

/** `NAME` and `pod/NAME` are a pod; `deploy/NAME`, `deployment.apps/NAME`, `jobs.batch/NAME`… a workload. */
export function parseTarget(arg: string): Target | { error: string } {
  const slash = arg.indexOf('/');
  if (slash < 0) return { pod: arg };
  const type = arg.slice(0, slash).toLowerCase(), name = arg.slice(slash + 1);
  if (!name || name.includes('/')) return { error: `arguments in resource/name form must have a single resource and name, not "${arg}"` };
  if (['pod', 'pods', 'po'].includes(type)) return { pod: name };
  const bare = type.replace(/\.(apps|batch)$/, '');
  const k = KINDS.find((x) => x.names.includes(bare) && (bare === type || type.endsWith(`.${x.def.ref.group}`)));
  if (!k) return { error: `the server doesn't have a resource type "${type}" the timeline draws (pods, deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs, replicationcontrollers)` };
  return { workload: k.def, name };
}

export class FetchError extends Error {
  constructor(message: string, readonly notFound = false) { super(message); }
}

const owns = (o: { metadata?: { ownerReferences?: { uid: string }[] } }, uids: Set<string>) => (o.metadata?.ownerReferences ?? []).some((r) => uids.has(r.uid));

/** Everything the model needs, read now. */
export async function fetchWorkload(server: string, target: { workload: WorkloadKind; name: string }, namespace: string): Promise<WorkloadInput> {
  const client = new HttpKubeClient({ server, timeoutMs: 10_000, userAgent: 'mini-kubelet-timeline/v0.1.0' });
  try {
    const root = await client.get(target.workload.ref, namespace, target.name).catch((e: unknown) => { throw asFetchError(e, server); });
    const rootUid = root.metadata?.uid ?? '';
    const listOf = async <T extends KubeObject>(r: ResourceRef): Promise<T[]> => {
      try {
        return (await client.list<T>(r, { namespace })).items;
      } catch (e) {
        if (e instanceof ApiError && e.code === 404) return []; // a kind this server does not serve (yet)
        throw asFetchError(e, server);
      }
    };
    const owned = target.workload.owns ? (await listOf(target.workload.owns.ref)).filter((o) => owns(o, new Set([rootUid]))).map((o) => ({ kind: target.workload.owns!.kind, apiVersion: apiVersionOf(target.workload.owns!.ref), ...o })) : [];
    const uids = new Set([rootUid, ...owned.map((o) => o.metadata?.uid ?? '')].filter(Boolean));
    const [podList, events] = await Promise.all([listOf(PODS), listOf(EVENTS)]);
    const pods = (podList as unknown as Pod[]).filter((p) => owns(p, uids));
    const input = { root: { kind: target.workload.kind, apiVersion: apiVersionOf(target.workload.ref), ...root }, owned, pods, events: events as unknown as Event[] };
    const records = await fetchRecords(server, namespace, podNamesOf(input));
    return { ...input, records };
  } finally {
    await client.close();
  }
}

const apiVersionOf = (r: ResourceRef) => (r.group ? `${r.group}/${r.version}` : r.version);

function asFetchError(e: unknown, server: string): FetchError {
  if (e instanceof ApiError && e.code === 0) return new FetchError(`error: cannot reach the mini-kubelet agent at ${server} (${e.message}); start it with \`mini-kubelet agent\`, or point --server at it`);
  if (e instanceof ApiError) return new FetchError(`Error from server (${e.reason ?? e.code}): ${e.message}`, e.code === 404);
  return new FetchError(e instanceof Error ? e.message : String(e));
}

/** GET /lifecycle/<ns>/<name> for each pod, a few at a time; a pod the agent does not know is left out. */
async function fetchRecords(server: string, namespace: string, names: string[]): Promise<Record<string, PodRecord>> {
  const records: Record<string, PodRecord> = {};
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      try {
        const res = await fetch(`${server}/lifecycle/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
        if (!res.ok) continue;
        const data = (await res.json()) as { pod?: Pod; entries?: PodRecord['entries']; deleted?: boolean };
        if (data.pod && Array.isArray(data.entries)) records[name] = { pod: data.pod, entries: data.entries, ...(data.deleted ? { deleted: true } : {}) };
      } catch { /* an API server without the agent's /lifecycle (split mode): status and Events only */ }
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, names.length) }, worker));
  return records;
}
