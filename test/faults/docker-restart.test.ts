// Real Docker, faults: the Docker daemon stopped (SIGTERM, then SIGKILL) and started again under a running
// agent. The agent stays up, /healthz says the runtime is down meanwhile, it reconnects and resyncs, and the
// pods come back per their restart policy: Always and OnFailure run again (a new sandbox attempt, restart
// count up), a Never pod ends Failed with its container's exit, as the kubelet shows it.
//
// DISRUPTIVE: this stops the machine's Docker daemon, so every other test using Docker fails meanwhile.
// `npm test` runs test/faults/ alone, after the rest of the suite, one file at a time.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../agent/api/v1.js';
import { waitFor } from '../helpers/docker-rig.js';
import { runningByName, SpawnedAgent } from '../helpers/spawned-agent.js';
import { cstatus, podYaml } from './manifests.js';

const SETUP = join(import.meta.dirname, '../../scripts/setup.mjs');
const PID_FILE = '/var/run/docker.pid';
const agents: SpawnedAgent[] = [];

function dockerAnswers(): boolean {
  try { execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { stdio: 'ignore', timeout: 10_000 }); return true; } catch { return false; }
}

/** Brings Docker back the way a user would: `npm run setup`. */
function setup(): void {
  execFileSync(process.execPath, [SETUP], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 150_000 });
}

afterAll(async () => {
  if (!dockerAnswers()) setup(); // never leave the machine without Docker
  await Promise.all(agents.map((a) => a.cleanup()));
}, 180_000);

function daemonPid(): number {
  const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
  if (!(pid > 0)) throw new Error(`no dockerd pid in ${PID_FILE}`);
  return pid;
}

async function healthz(a: SpawnedAgent): Promise<{ code: number; text: string }> {
  const res = await a.get('/healthz');
  return { code: res.status, text: await res.text() };
}

const liveRestore = (): boolean => execFileSync('docker', ['info', '--format', '{{.LiveRestoreEnabled}}'], { encoding: 'utf8' }).trim() === 'true';

async function startPods(): Promise<{ a: SpawnedAgent; before: Record<string, Pod> }> {
  const a = new SpawnedAgent();
  agents.push(a);
  await a.start();
  a.write('always.yaml', podYaml('always', { containers: [{ name: 'main', cmd: 'sleep 3600' }] }));
  a.write('onfailure.yaml', podYaml('onfailure', { policy: 'OnFailure', containers: [{ name: 'main', cmd: 'sleep 3600' }] }));
  a.write('never.yaml', podYaml('never', { policy: 'Never', containers: [{ name: 'main', cmd: 'sleep 3600' }] }));
  const before: Record<string, Pod> = {};
  for (const n of ['always', 'onfailure', 'never']) before[n] = await a.waitForPod(n, (p) => p.status?.phase === 'Running', 30_000, 'Running');
  return { a, before };
}

/** While Docker is down: the agent process lives, answers, and /healthz says the runtime is down. */
async function expectDownReported(a: SpawnedAgent): Promise<void> {
  let last = { code: 0, text: '' };
  await waitFor(async () => { last = await healthz(a); return last.code !== 200; }, { timeoutMs: 60_000, intervalMs: 200, message: () => `healthz still ${last.code}` });
  expect(last.code).toBe(503);
  expect(last.text).toMatch(/runtime/);
  expect(a.alive).toBe(true);
  expect((await a.get('/healthz/ping')).status).toBe(200);
  expect((await a.pods()).map((p) => p.metadata!.name).sort()).toEqual(['always', 'never', 'onfailure']);
}

/** After Docker is back: healthy again, pods per their restart policy, one running instance per container. */
async function expectRecovered(a: SpawnedAgent, before: Record<string, Pod>, containersSurvived: boolean): Promise<void> {
  await waitFor(async () => (await healthz(a)).code === 200, { timeoutMs: 60_000, intervalMs: 200, message: 'healthz 200 again' });
  expect(a.alive).toBe(true);
  for (const n of ['always', 'onfailure']) {
    const p = await a.waitForPod(n, (x) => x.status?.phase === 'Running' && !!cstatus(x, 'main')?.state?.running, 60_000, 'Running again');
    const c = cstatus(p, 'main')!;
    // When the containers were replaced, lastState is the previous instance: the one the daemon killed, or one
    // the agent created while the daemon was going down and could not start (then `waiting`, as the kubelet
    // shows a Created one). When they survived, only the container's identity is claimed.
    const last = c.lastState ?? {};
    const seen = {
      sameContainer: c.containerID === cstatus(before[n], 'main')!.containerID,
      restarted: c.restartCount >= 1,
      lastIsThePreviousInstance: last.terminated ? last.terminated.exitCode > 0 : last.waiting !== undefined,
    };
    expect(seen, `${n}: lastState ${JSON.stringify(last)}`).toEqual(containersSurvived
      ? { sameContainer: true, restarted: expect.any(Boolean), lastIsThePreviousInstance: expect.any(Boolean) }
      : { sameContainer: false, restarted: true, lastIsThePreviousInstance: true });
  }
  // restartPolicy Never: a surviving container keeps the pod Running; a container killed with the daemon ends
  // the pod Failed with its exit, as the kubelet shows it.
  const wantPhase = containersSurvived ? 'Running' : 'Failed';
  const never = await a.waitForPod('never', (x) => x.status?.phase === wantPhase, 60_000, wantPhase);
  const nc = cstatus(never, 'main')!;
  const ended = nc.state?.terminated;
  expect({ restartCount: nc.restartCount, ended: ended && { reason: ended.reason, failed: ended.exitCode > 0 } })
    .toEqual({ restartCount: 0, ended: containersSurvived ? undefined : { reason: 'Error', failed: true } });
  const running = runningByName(await a.containers());
  for (const [k, n] of Object.entries(running)) expect(n, `${k}: one running instance`).toBe(1);
  expect(running['never/main']).toBe(containersSurvived ? 1 : undefined);
}

describe('Docker daemon stopped and restarted under the agent', () => {
  it('SIGTERM to dockerd: /healthz 503 meanwhile, then reconnect, resync, pods per restart policy', async () => {
    const { a, before } = await startPods();
    const survived = liveRestore();
    process.kill(daemonPid(), 'SIGTERM');
    await expectDownReported(a);
    setup();
    expect(dockerAnswers()).toBe(true);
    await expectRecovered(a, before, survived);
  }, 300_000);

  it('SIGKILL to dockerd (stale pid file and socket): setup starts it again, the agent recovers', async () => {
    const { a, before } = await startPods();
    const pid = daemonPid();
    process.kill(pid, 'SIGKILL');
    await expectDownReported(a);
    expect(existsSync(PID_FILE)).toBe(true); // left behind by the killed daemon
    setup();
    expect(dockerAnswers()).toBe(true);
    expect(daemonPid()).not.toBe(pid);
    // containerd survived the kill; the new dockerd stops the containers it finds (no live-restore), and the
    // agent restarts them per policy, exactly as after a clean stop.
    await expectRecovered(a, before, liveRestore());
  }, 300_000);
});
