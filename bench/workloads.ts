// bench/workloads.ts — benchmark 8 (issue 12): the workload controllers, measured in one run against a
// separately spawned agent (control plane, controllers and kubelet in one process) on real Docker, with the
// real kubectl. Pod moments come from a watch on the API (bench/pod-tracker.ts), so nothing polls while timed.
//
//   apply   — `kubectl apply` of a 3-replica Deployment → its 3 pods Ready.
//   scale   — the same Deployment scaled to 0, then `kubectl scale --replicas=N` → N pods Running, against N
//             single pods written to the manifest folder → N (mirror) pods Running. Ratio of the two.
//   rolling — a 10-replica Deployment (25% surge / 25% unavailable, the defaults) rolled by `kubectl set env`:
//             the rollout's total time (set env → 10 new pods Ready and every old pod gone) against the sum of
//             its pods' own start (seen → Ready) and stop (marked → gone) times. Below 1× is the overlap the
//             rolling update buys.
//   idle    — 10 Deployments (1 replica), 5 CronJobs (daily schedule) and 3 StatefulSets (1 replica): the
//             agent's CPU and RSS once everything runs. Goal: CPU under 2% of a core (minikube idles at
//             30–50%; k3s at ~500 MB RSS, set beside ours).
import { AgentProc } from './agent-proc.js';
import { Kubectl } from './api-http.js';
import { PodTracker } from './pod-tracker.js';
import { idlePod, SLEEPER } from './pods.js';
import type { Section } from './report.js';
import { mb, ms, pct, ratio, sampleProcess, secs, sleep } from './util.js';

export interface WorkloadOpts {
  readonly scale: number;
  readonly rolling: number;
  readonly windowMs: number;
  readonly settleMs: number;
}

const TIMEOUT = 10 * 60_000;
const IDLE_CPU_GOAL = 2;

function template(app: string, extraLabels: Record<string, string> = {}): Record<string, unknown> {
  return {
    metadata: { labels: { app, ...extraLabels } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', SLEEPER] }],
    },
  };
}

function deployment(name: string, replicas: number, extraLabels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', labels: extraLabels },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name, extraLabels) },
  };
}

function cronJob(name: string): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default', labels: { bench: 'idle' } },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...(template(name).spec as object), restartPolicy: 'Never' } } } } },
  };
}

function statefulSet(name: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'default', labels: { bench: 'idle' } },
    spec: { replicas: 1, serviceName: name, selector: { matchLabels: { app: name } }, template: template(name, { bench: 'idle' }) },
  };
}

const list = (items: Record<string, unknown>[]) => ({ apiVersion: 'v1', kind: 'List', items });

/** apply + scale: the 3-replica start, then N through the Deployment against N folder pods. */
async function benchApplyAndScale(sec: Section, agent: AgentProc, kubectl: Kubectl, n: number): Promise<void> {
  const three = await PodTracker.start(agent.url, 'app=wl-web');
  try {
    const file = kubectl.file('wl-web', deployment('wl-web', 3));
    const t0 = performance.now();
    await kubectl.run('apply', '-f', file);
    const at = await three.until('3 pods Ready', 3, (p) => p.ready, TIMEOUT);
    sec.figure('[apply] kubectl apply, 3-replica Deployment → 3 pods Ready', ms(at - t0));
    await kubectl.run('scale', 'deployment/wl-web', '--replicas=0');
    await three.untilEmpty(TIMEOUT);
  } finally { three.close(); }

  const folder = await PodTracker.start(agent.url, 'app=wl-folder');
  let folderMs: number;
  const names = Array.from({ length: n }, (_, i) => `wl-folder-${i}`);
  try {
    const t0 = performance.now();
    for (const name of names) agent.write(name, withLabel(idlePod(name), 'wl-folder'));
    folderMs = (await folder.until(`${n} folder pods Running`, n, (p) => p.running, TIMEOUT)) - t0;
    for (const name of names) agent.remove(name);
    await folder.untilEmpty(TIMEOUT);
    await agent.waitGone(names, TIMEOUT);
  } finally { folder.close(); }

  const scaled = await PodTracker.start(agent.url, 'app=wl-web');
  try {
    const t0 = performance.now();
    await kubectl.run('scale', 'deployment/wl-web', `--replicas=${n}`);
    const deployMs = (await scaled.until(`${n} Deployment pods Running`, n, (p) => p.running, TIMEOUT)) - t0;
    sec.figure(`[scale] ${n} single pods written to the folder → all Running`, ms(folderMs));
    sec.figure(`[scale] kubectl scale --replicas=${n} (from 0) → all Running`, ms(deployMs));
    sec.figure('[scale] Deployment / folder, ratio', ratio(deployMs / folderMs));
    await kubectl.run('delete', 'deployment/wl-web', '--wait=false');
    await scaled.untilEmpty(TIMEOUT);
  } finally { scaled.close(); }
}

function withLabel(pod: Record<string, unknown>, app: string): Record<string, unknown> {
  const meta = pod.metadata as { labels?: Record<string, string> };
  return { ...pod, metadata: { ...meta, labels: { ...meta.labels, app } } };
}

/** rolling: total rollout time against the sum of its pods' start and stop times. */
async function benchRolling(sec: Section, agent: AgentProc, kubectl: Kubectl, n: number): Promise<void> {
  const tracker = await PodTracker.start(agent.url, 'app=wl-roll');
  try {
    await kubectl.run('apply', '-f', kubectl.file('wl-roll', deployment('wl-roll', n)));
    await tracker.until(`${n} pods Ready`, n, (p) => p.ready, TIMEOUT);
    const old = new Set(tracker.live().map((p) => p.name));
    const t0 = performance.now();
    await kubectl.run('set', 'env', 'deployment/wl-roll', 'ROUND=2');
    const fresh = () => [...tracker.pods.values()].filter((p) => !old.has(p.name));
    const end = await tracker.until(`${n} new pods Ready, every old pod gone`, 1, () => {
      const ready = fresh().filter((p) => p.ready !== undefined && p.gone === undefined);
      const oldLeft = [...old].some((name) => tracker.pods.get(name)?.gone === undefined);
      return ready.length >= n && !oldLeft ? Math.max(...ready.map((p) => p.ready!), ...[...old].map((name) => tracker.pods.get(name)!.gone!)) : undefined;
    }, TIMEOUT);
    const total = end - t0;
    const starts = fresh().filter((p) => p.ready !== undefined).map((p) => p.ready! - p.seen);
    const stops = [...old].map((name) => tracker.pods.get(name)!).map((p) => p.gone! - (p.deleting ?? p.gone!));
    const sum = [...starts, ...stops].reduce((a, b) => a + b, 0);
    sec.figure(`[rolling] ${n} replicas, kubectl set env → rollout done`, ms(total));
    sec.figure(`[rolling] sum of ${starts.length} pod starts (seen → Ready) + ${stops.length} stops (marked → gone)`, ms(sum));
    sec.figure('[rolling] rollout / sum of its pods\' times, ratio', ratio(total / sum));
    sec.note(`${fresh().length} new pods made for ${n} replicas; the most pods alive at once is not sampled here (the e2e test checks the bounds)`);
    await kubectl.run('delete', 'deployment/wl-roll', '--wait=false');
    await tracker.untilEmpty(TIMEOUT);
  } finally { tracker.close(); }
}

/** idle: 10 Deployments, 5 CronJobs, 3 StatefulSets running; the agent sampled over the window. */
async function benchIdleWorkloads(sec: Section, agent: AgentProc, kubectl: Kubectl, o: WorkloadOpts): Promise<void> {
  const tracker = await PodTracker.start(agent.url, 'bench=idle');
  try {
    const items = [
      ...Array.from({ length: 10 }, (_, i) => deployment(`wl-idle-${i}`, 1, { bench: 'idle' })),
      ...Array.from({ length: 5 }, (_, i) => cronJob(`wl-cron-${i}`)),
      ...Array.from({ length: 3 }, (_, i) => statefulSet(`wl-sts-${i}`)),
    ];
    const t0 = performance.now();
    await kubectl.run('apply', '-f', kubectl.file('wl-idle', list(items)));
    await tracker.until('13 pods Running', 13, (p) => p.running, TIMEOUT);
    sec.say(`10 Deployments, 5 CronJobs, 3 StatefulSets: 13 pods Running after ${secs(performance.now() - t0)}; settling ${secs(o.settleMs)}`);
    await sleep(o.settleMs);
    const s = await sampleProcess(agent.pid, o.windowMs);
    sec.figure(`[idle] agent CPU, 10 Deployments + 5 CronJobs + 3 StatefulSets (mean over ${Math.round(s.seconds)} s)`, pct(s.cpuPct), `< ${IDLE_CPU_GOAL}% of a core`, s.cpuPct < IDLE_CPU_GOAL);
    sec.figure('[idle] agent RSS mean (max); k3s idles at ~500 MB', `${mb(s.rssMeanMB)} (${mb(s.rssMaxMB)})`);
    await kubectl.run('delete', 'deployments,cronjobs,statefulsets', '-l', 'bench=idle', '--wait=false');
    await tracker.untilEmpty(TIMEOUT);
  } finally { tracker.close(); }
}

export async function benchWorkloads(sec: Section, o: WorkloadOpts): Promise<void> {
  const agent = await AgentProc.start();
  const kubectl = new Kubectl(agent.url);
  try {
    await kubectl.run('get', 'deployments');   // kubectl's discovery cache, warmed outside any timing
    await benchApplyAndScale(sec, agent, kubectl, o.scale);
    await benchRolling(sec, agent, kubectl, o.rolling);
    await benchIdleWorkloads(sec, agent, kubectl, o);
  } finally {
    kubectl.dispose();
    await agent.stop();
  }
}
