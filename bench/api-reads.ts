// bench/api-reads.ts — two parts of the API benchmark (bench/api.ts) on its running agent:
//
//   write → event — a watch on the ConfigMaps of `default` (HTTP watch from the list's resourceVersion,
//     newline-delimited JSON) while N ConfigMaps are created one at a time, then each updated once (PUT); the
//     latency of a write is from just before its request to the arrival of its event at the watcher. p50/p99
//     per kind of write and over all of them. Goal: p99 < 20 ms. (The kubelet watches ConfigMaps too: its
//     watch is served the same events meanwhile.)
//   `kubectl get pods` — N pods made through the API and bound to a node no kubelet runs (they stay Pending
//     and cost Docker nothing: the server's list is what is measured); the Table list kubectl sends (its
//     Accept header, limit=500) timed R times from the request to the last byte of the answer, median/p99.
//     Goal: < 100 ms. Context: the same list as plain JSON, and one real `kubectl get pods` wall time.
import type { AgentProc } from './agent-proc.js';
import { openWatch, type ApiClient, type Kubectl } from './api-http.js';
import type { Section } from './report.js';
import { median, percentile, ms } from './util.js';

const WRITE_GOAL_MS = 20;
const TABLE_GOAL_MS = 100;

/** kubectl get's Accept header (client-go's Table negotiation). */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const CMS = '/api/v1/namespaces/default/configmaps';

/** Arrival times of watch events by `TYPE:name`, and a wait for one that has not arrived yet. */
class Arrivals {
  readonly #at = new Map<string, number>();
  readonly #waiters = new Map<string, () => void>();

  add(key: string, at: number): void {
    if (!this.#at.has(key)) this.#at.set(key, at);
    this.#waiters.get(key)?.();
  }

  async of(key: string, timeoutMs = 10_000): Promise<number> {
    if (!this.#at.has(key)) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no watch event ${key} within ${timeoutMs / 1000} s`)), timeoutMs);
        this.#waiters.set(key, () => { clearTimeout(timer); this.#waiters.delete(key); resolve(); });
      });
    }
    return this.#at.get(key)!;
  }
}

function configMap(name: string, label: string, value: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { 'mkb-bench': label } }, data: { value } };
}

export async function benchWriteToEvent(sec: Section, agent: AgentProc, api: ApiClient, n: number): Promise<void> {
  const label = `w-${agent.node}`;
  const rv = (JSON.parse((await api.must('GET', CMS, undefined, 200)).body.toString('utf8')) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const arrivals = new Arrivals();
  const watch = await openWatch(api.base, `${CMS}?watch=true&resourceVersion=${rv}`, (ev, at) => arrivals.add(`${ev.type}:${ev.object.metadata?.name}`, at));
  sec.say(`write → event: ${n} creates, then ${n} updates, one at a time`);
  const lat: Record<'ADDED' | 'MODIFIED', number[]> = { ADDED: [], MODIFIED: [] };
  const answered: number[] = [];
  try {
    for (const type of ['ADDED', 'MODIFIED'] as const) {
      for (let i = 0; i < n; i++) {
        const name = `wb-${i}`;
        const body = configMap(name, label, `${type}-${i}`);
        const t0 = performance.now();
        if (type === 'ADDED') await api.must('POST', CMS, body, 201);
        else await api.must('PUT', `${CMS}/${name}`, body, 200);
        answered.push(performance.now() - t0);
        lat[type].push((await arrivals.of(`${type}:${name}`)) - t0);
      }
    }
  } finally {
    watch.close();
  }
  await api.send('DELETE', `${CMS}?labelSelector=mkb-bench%3D${label}`);
  const all = [...lat.ADDED, ...lat.MODIFIED];
  const p99 = percentile(all, 99);
  sec.figure(`[watch] create → ADDED at the watcher, p50 / p99 (N=${n})`, `${ms2(median(lat.ADDED))} / ${ms2(percentile(lat.ADDED, 99))}`);
  sec.figure(`[watch] update (PUT) → MODIFIED at the watcher, p50 / p99 (N=${n})`, `${ms2(median(lat.MODIFIED))} / ${ms2(percentile(lat.MODIFIED, 99))}`);
  sec.figure(`[watch] write → event at the watcher, p99 of all ${all.length} writes`, ms2(p99), `< ${WRITE_GOAL_MS} ms`, p99 < WRITE_GOAL_MS);
  sec.figure('[watch] write → its answer at the writer, p50 / p99', `${ms2(median(answered))} / ${ms2(percentile(answered, 99))}`);
}

/** Milliseconds with one decimal (these figures are a few ms). */
const ms2 = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');

/** A pod bound to a node no kubelet runs: it stays Pending and only exists in the API. */
function ghostPod(name: string, node: string): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'mkb', 'mkb-bench': 'table' } },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
  };
}

async function timedGets(api: ApiClient, path: string, accept: string, reps: number): Promise<{ times: number[]; bytes: number; rows: number }> {
  const times: number[] = [];
  let last: Buffer = Buffer.alloc(0);
  for (let i = -3; i < reps; i++) {
    const t0 = performance.now();
    const a = await api.send('GET', path, undefined, { accept });
    const dt = performance.now() - t0;
    if (a.status !== 200) throw new Error(`GET ${path} answered ${a.status}`);
    if (i >= 0) times.push(dt);
    last = a.body;
  }
  const doc = JSON.parse(last.toString('utf8')) as { rows?: unknown[]; items?: unknown[] };
  return { times, bytes: last.length, rows: (doc.rows ?? doc.items ?? []).length };
}

export async function benchTable(sec: Section, agent: AgentProc, api: ApiClient, kubectl: Kubectl, pods: number, reps: number): Promise<void> {
  const ghost = `${agent.node}-ghost`;
  sec.say(`kubectl get pods: ${pods} pods bound to ${ghost} (no kubelet), then ${reps} Table lists`);
  for (let i = 0; i < pods; i++) await api.must('POST', '/api/v1/namespaces/default/pods', ghostPod(`tb-${String(i).padStart(3, '0')}`, ghost), 201);
  const path = '/api/v1/namespaces/default/pods?limit=500';
  const table = await timedGets(api, path, TABLE_ACCEPT, reps);
  const json = await timedGets(api, path, 'application/json', Math.min(reps, 20));
  const get = await kubectl.run('get', 'pods');
  const lines = get.stdout.split('\n').filter(Boolean).length - 1;
  const p50 = median(table.times);
  const p99 = percentile(table.times, 99);
  sec.figure(`[get pods] Table list of ${table.rows} pods (${Math.round(table.bytes / 1024)} KiB), median / p99 (N=${reps})`, `${ms2(p50)} / ${ms2(p99)}`, `p99 < ${TABLE_GOAL_MS} ms`, p99 < TABLE_GOAL_MS);
  sec.figure(`[get pods] the same list as JSON (${Math.round(json.bytes / 1024)} KiB), median (N=${json.times.length})`, ms2(median(json.times)));
  sec.figure(`[get pods] one real \`kubectl get pods\` (${lines} rows), wall time`, ms(get.ms));
}
