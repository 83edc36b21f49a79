// bench/api-store.ts — the API benchmark's store part (bench/api.ts): N ConfigMaps of about 1 KiB stored
// through the API of a fresh agent (its own root dir and node name), then:
//   write   — all N POSTed, 16 requests in flight, wall time and writes per second;
//   list    — GET /api/v1/configmaps (all namespaces, JSON) to the last byte, median of 3;
//   watch   — a watch from resourceVersion 0 (every object as ADDED), from the request to the last of the N;
//   RSS     — the agent's VmRSS before the writes, after them, and after the restart (the store loaded from
//             disk; the kubelet's own ConfigMap watch holds its copy too: that is the agent as it runs);
//   restart — SIGTERM and exit (context), then the process started again on the same --root-dir and port,
//             timed until /healthz answers 200 and `GET /api/v1/configmaps?limit=1` answers 200. The API
//             server does not page (limit is ignored), so that request lists all N. Goal: < 2 s. The same
//             restart of the agent before the writes (its store empty) is the context figure.
import { AgentProc } from './agent-proc.js';
import { ApiClient, openWatch } from './api-http.js';
import type { Section } from './report.js';
import { median, mb, ms, rssMB, sleep, waitUntil } from './util.js';

const RESTART_GOAL_MS = 2000;
const IN_FLIGHT = 16;

function configMap(i: number): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: `sc-${String(i).padStart(5, '0')}`, namespace: 'default', labels: { 'mkb-bench': 'store', app: `app-${i % 50}` } },
    data: { 'settings.yaml': `replicas: ${i % 7}\nendpoint: http://svc-${i}.default.svc:8080\n${'# padding\n'.repeat(90)}` },
  };
}

async function writeAll(api: ApiClient, count: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    for (let i = next++; i < count; i = next++) await api.must('POST', '/api/v1/namespaces/default/configmaps', configMap(i), 201);
  }));
  return performance.now() - t0;
}

async function listAll(api: ApiClient, path: string): Promise<{ ms: number; items: number; bytes: number }> {
  const t0 = performance.now();
  const a = await api.must('GET', path, undefined, 200);
  const dt = performance.now() - t0;
  return { ms: dt, items: (JSON.parse(a.body.toString('utf8')) as { items: unknown[] }).items.length, bytes: a.body.length };
}

/** A watch from resourceVersion 0: ms from the request until the count-th ConfigMap of the benchmark arrived. */
async function watchFromZero(base: string, count: number): Promise<number> {
  let seen = 0;
  let done: (at: number) => void = () => undefined;
  const last = new Promise<number>((r) => { done = r; });
  const t0 = performance.now();
  const w = await openWatch(base, '/api/v1/configmaps?watch=true&resourceVersion=0', (ev, at) => {
    if (ev.type === 'ADDED' && ev.object.metadata?.labels?.['mkb-bench'] === 'store' && ++seen === count) done(at);
  });
  try {
    const at = await Promise.race([last, w.ended.then(() => { throw new Error(`the watch from 0 ended after ${seen} of ${count} ConfigMaps`); })]);
    return at - t0;
  } finally {
    w.close();
  }
}

async function restart(agent: AgentProc): Promise<{ stopMs: number; healthMs: number; startMs: number }> {
  const s0 = performance.now();
  await agent.terminate();
  const stopMs = performance.now() - s0;
  const t0 = performance.now();
  await agent.respawn();
  const healthMs = performance.now() - t0;
  const api = new ApiClient(agent.url);
  try {
    await waitUntil('GET /api/v1/configmaps?limit=1 after the restart', async () => ((await api.send('GET', '/api/v1/configmaps?limit=1')).status === 200 ? true : undefined), 30_000, 10);
  } finally {
    api.close();
  }
  return { stopMs, healthMs, startMs: performance.now() - t0 };
}

export async function benchManyConfigMaps(sec: Section, count: number): Promise<void> {
  const agent = await AgentProc.start();
  const api = new ApiClient(agent.url, IN_FLIGHT);
  const n = count.toLocaleString('en-US');
  try {
    sec.say(`${n} ConfigMaps on a fresh agent: write, list, watch from 0, restart`);
    const empty = await restart(agent);
    await sleep(2000);
    const rss0 = rssMB(agent.pid);
    const writeMs = await writeAll(api, count);
    await sleep(2000);
    const rss1 = rssMB(agent.pid);
    const lists = [];
    for (let i = 0; i < 3; i++) lists.push(await listAll(api, '/api/v1/configmaps'));
    if (lists[0]!.items < count) throw new Error(`the list holds ${lists[0]!.items} ConfigMaps, ${count} were written`);
    const watchMs = await watchFromZero(agent.url, count);
    api.close();
    const r = await restart(agent);
    const after = new ApiClient(agent.url);
    const relisted = await listAll(after, '/api/v1/configmaps').finally(() => after.close());
    if (relisted.items < count) throw new Error(`after the restart the list holds ${relisted.items} ConfigMaps, ${count} were written`);
    await sleep(3000);
    const rss2 = rssMB(agent.pid);
    sec.figure(`[${n} ConfigMaps] write, ${IN_FLIGHT} in flight (writes/s)`, `${ms(writeMs)} (${Math.round(count / (writeMs / 1000))}/s)`);
    sec.figure(`[${n} ConfigMaps] list, all namespaces, JSON (${Math.round(lists[0]!.bytes / 2 ** 20)} MiB), median of 3`, ms(median(lists.map((l) => l.ms))));
    sec.figure(`[${n} ConfigMaps] watch from resourceVersion 0, until the last ADDED`, ms(watchMs));
    sec.figure(`[${n} ConfigMaps] agent RSS: empty → after the writes → after the restart`, `${mb(rss0)} → ${mb(rss1)} → ${mb(rss2)}`);
    sec.figure(`[${n} ConfigMaps] SIGTERM → exit`, ms(r.stopMs));
    sec.figure('[empty store] restart: start → /healthz 200 and configmaps?limit=1 200 (/healthz alone), context', `${ms(empty.startMs)} (${ms(empty.healthMs)})`);
    sec.figure(`[${n} ConfigMaps] restart: start → /healthz 200 and configmaps?limit=1 200 (/healthz alone)`, `${ms(r.startMs)} (${ms(r.healthMs)})`, `< ${RESTART_GOAL_MS / 1000} s`, r.startMs < RESTART_GOAL_MS);
    sec.note(`After the restart the list holds ${relisted.items} ConfigMaps (${ms(relisted.ms)}).`);
  } finally {
    api.close();
    await agent.stop();
  }
}
