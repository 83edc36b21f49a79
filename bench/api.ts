// bench/api.ts — benchmark 7 (issue 11): the Kubernetes API the agent serves, measured in one run against a
// separately spawned agent (control plane + kubelet in one process) on real Docker.
//
//   start  — pod start through the API: `kubectl apply -f pod.json` (the real kubectl, its own discovery cache,
//            warmed by an untimed round) → the pod Running with Ready True, seen by a watch on the API;
//            against the manifest-folder path (the manifest renamed into the folder → Running and Ready,
//            seen as bench/start.ts sees it: the API's watch of the mirror pod, confirmed by one /pods read).
//            Same pod (busybox, two long-running containers, no init container, IfNotPresent). A POST of the
//            same pod is a context arm (the API path without kubectl's own start). N rounds, alternating
//            (the order rotates each round), medians. Goal: kubectl apply / folder ≤ 1.1×.
//   watch  — write → event at a watcher (bench/api-reads.ts). Goal p99 < 20 ms.
//   table  — `kubectl get pods` with 110 pods: the server's Table list (bench/api-reads.ts). Goal < 100 ms.
//   store  — 10,000 ConfigMaps: write, list, watch-from-0, RSS, restart (bench/api-store.ts), on a fresh
//            agent. Goal: restart < 2 s.
import { AgentProc, allRunning, isReady } from './agent-proc.js';
import { ApiClient, Kubectl } from './api-http.js';
import { benchTable, benchWriteToEvent } from './api-reads.js';
import { benchManyConfigMaps } from './api-store.js';
import { startPod } from './pods.js';
import type { Section } from './report.js';
import type { Pod } from '../agent/api/v1.js';
import { median, percentile, ms, ratio } from './util.js';

export interface ApiOpts {
  readonly rounds: number;
  readonly writes: number;
  readonly pods: number;
  readonly tableReps: number;
  readonly configMaps: number;
}

const GOAL = 1.1;

type Arm = 'folder' | 'kubectl' | 'post';

const ready = (p: Pod): boolean => allRunning(p, true) && isReady(p);

interface StartRun { readonly ms: number; /** kubectl apply's own wall time (kubectl arm). */ readonly applyMs?: number }

/** One start of one arm: ms from just before the write/apply/POST to the watch event showing it Ready. */
async function startOnce(agent: AgentProc, kubectl: Kubectl, api: ApiClient, name: string, arm: Arm): Promise<StartRun> {
  const manifest = startPod(name, false);
  const file = arm === 'kubectl' ? kubectl.file(name, manifest) : '';
  const watch = await agent.watchPod(name, ready, 60_000);
  const t0 = Date.now();
  let applyMs: number | undefined;
  if (arm === 'folder') agent.write(name, manifest);
  else if (arm === 'kubectl') applyMs = (await kubectl.run('apply', '-f', file)).ms;
  else await api.must('POST', '/api/v1/namespaces/default/pods', manifest, 201);
  const { at } = await watch.until.finally(() => watch.close());
  if (arm === 'folder') {
    const listed = (await agent.pods()).find((p) => p.metadata?.name === name);
    if (!listed || !ready(listed)) throw new Error(`the watch showed pod ${name} Ready, /pods does not`);
    agent.remove(name);
  } else {
    await api.must('DELETE', `/api/v1/namespaces/default/pods/${name}`, undefined, 200);
  }
  await agent.waitGone([name], 60_000);
  return { ms: at - t0, ...(applyMs !== undefined ? { applyMs } : {}) };
}

async function benchStartViaApi(sec: Section, agent: AgentProc, kubectl: Kubectl, api: ApiClient, rounds: number): Promise<void> {
  const arms: Arm[] = ['folder', 'kubectl', 'post'];
  const times: Record<Arm, number[]> = { folder: [], kubectl: [], post: [] };
  const apply: number[] = [];
  sec.say(`pod start: ${rounds} rounds of ${arms.join(', ')} (+1 warm-up)`);
  for (let round = -1; round < rounds; round++) {
    const order = arms.map((_, i) => arms[(i + Math.max(round, 0)) % arms.length]!);
    for (const arm of order) {
      const r = await startOnce(agent, kubectl, api, `api-${arm}-${round + 1}`, arm);
      if (round < 0) continue;
      times[arm].push(r.ms);
      if (r.applyMs !== undefined) apply.push(r.applyMs);
    }
  }
  const f = median(times.folder);
  const k = median(times.kubectl);
  const p = median(times.post);
  const client: number[] = [];
  for (let i = 0; i < 5; i++) client.push((await kubectl.run('version', '--client')).ms);
  sec.figure('[start] folder (manifest renamed in → Running, Ready), median / p90', `${ms(f)} / ${ms(percentile(times.folder, 90))}`);
  sec.figure('[start] kubectl apply -f → Running, Ready (API watch), median / p90', `${ms(k)} / ${ms(percentile(times.kubectl, 90))}`);
  sec.figure(`[start] kubectl apply / folder, ratio of medians (N=${rounds})`, ratio(k / f), `≤ ${GOAL}×`, k / f <= GOAL);
  sec.figure('[start] POST → Running, Ready (API watch), median; / folder', `${ms(p)}; ${ratio(p / f)}`);
  sec.figure('[start] `kubectl apply -f` itself (its process, spawn → exit), median', ms(median(apply)));
  sec.figure('[start] kubectl\'s own start (`kubectl version --client`), median of 5', ms(median(client)));
}

export async function benchApi(sec: Section, o: ApiOpts): Promise<void> {
  const agent = await AgentProc.start();
  const api = new ApiClient(agent.url);
  const kubectl = new Kubectl(agent.url);
  try {
    await benchStartViaApi(sec, agent, kubectl, api, o.rounds);
    await benchWriteToEvent(sec, agent, api, o.writes);
    await benchTable(sec, agent, api, kubectl, o.pods, o.tableReps);
  } finally {
    api.close();
    kubectl.dispose();
    await agent.stop();
  }
  await benchManyConfigMaps(sec, o.configMaps);
}
