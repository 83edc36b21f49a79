// test/e2e/statefulsets.test.ts — StatefulSets through the real kubectl on a real agent and Docker (issue 12):
// OrderedReady with a readiness probe that passes after ~1.5 s creates web-1 only after web-0 is Ready (its
// creationTimestamp is not before web-0's Ready lastTransitionTime) and web-2 after web-1; `kubectl rollout
// status sts/web` finishes; the hostname inside a pod is `<sts>-<ordinal>`; `kubectl scale --replicas=1`
// removes web-2 completely before web-1 starts terminating. Parallel creates all three before any is Ready.
// A volumeClaimTemplate gives pod data-0 the claim www-data-0 (local-path, made before the pod, with the
// upstream event); the pod appends its hostname to a file there; deleted, it is made again under the same
// name and finds the file with the first line in it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-sts-'));
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);

/** A StatefulSet whose pods become Ready ~1.5 s after they start (readiness probe on a file made after a sleep). */
const statefulSet = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
  spec: {
    replicas: 3, serviceName: name, selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'main', image: 'busybox:latest', imagePullPolicy: 'Never',
          command: ['sh', '-c', 'trap "exit 0" TERM; sleep 1.5; touch /tmp/ready; while true; do sleep 0.2; done'],
          // Generous timeout and threshold: on a loaded machine an exec probe can take seconds, and a pod that
          // flapped back to not-Ready would move its Ready lastTransitionTime.
          readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, timeoutSeconds: 10, failureThreshold: 60 },
        }],
      },
    },
    ...extra,
  },
});

interface PodItem { metadata: { name: string; creationTimestamp: string; deletionTimestamp?: string }; status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } }
async function podsOf(app: string): Promise<PodItem[]> {
  const r = await fetch(`${rig.url}/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`);
  return ((await r.json()) as { items: PodItem[] }).items;
}
const readyAt = (p: PodItem | undefined): string | undefined => p?.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
const apply = async (name: string, body: string): Promise<void> => {
  writeFileSync(join(files, `${name}.json`), body);
  const r = await k('apply', '-f', join(files, `${name}.json`));
  expect(r.stdout, r.stderr).toBe(`statefulset.apps/${name} created\n`);
};

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); kubectl.dispose(); rmSync(files, { recursive: true, force: true }); });

describe('StatefulSets on a real node', () => {
  it('OrderedReady: each pod is created only after the previous is Ready; rollout status; hostname; scale down highest first', async () => {
    // The first Ready time seen for each pod (sampled while the set rolls out).
    const firstReady = new Map<string, string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const p of await podsOf('web')) { const at = readyAt(p); if (at && !firstReady.has(p.metadata.name)) firstReady.set(p.metadata.name, at); }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await apply('web', statefulSet('web'));
    const status = await k('rollout', 'status', 'sts/web', '--timeout=85s');
    watching = false;
    await watcher;
    expect(status.stdout, status.stderr).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const pods = new Map((await podsOf('web')).map((p) => [p.metadata.name, p]));
    expect([...pods.keys()].sort()).toEqual(['web-0', 'web-1', 'web-2']);
    for (const [prev, next] of [['web-0', 'web-1'], ['web-1', 'web-2']] as const) {
      const ready = firstReady.get(prev);
      expect(ready, `${prev} Ready`).toBeDefined();
      expect(Date.parse(pods.get(next)!.metadata.creationTimestamp), `${next} created after ${prev} Ready`).toBeGreaterThanOrEqual(Date.parse(ready!));
    }
    expect((await k('exec', 'web-1', '--', 'hostname')).stdout).toBe('web-1\n');
    expect((await k('get', 'sts', 'web', '--no-headers')).stdout).toMatch(/^web\s+3\/3\s+\d+s\n$/);

    // Scale down: at no sample is web-1 terminating (or gone) while web-2 still exists.
    const state = (pods: PodItem[], n: string): string => { const p = pods.find((x) => x.metadata.name === n); return !p ? 'gone' : p.metadata.deletionTimestamp ? 'terminating' : 'live'; };
    const samples: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const now = await podsOf('web');
        samples.push(`web-1 ${state(now, 'web-1')}, web-2 ${state(now, 'web-2')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    expect((await k('scale', 'sts/web', '--replicas=1')).stdout).toBe('statefulset.apps/web scaled\n');
    await waitFor(async () => ((await podsOf('web')).length === 1 ? true : undefined), { timeoutMs: 120_000, intervalMs: 200, message: 'web not scaled to 1' });
    sampling = false;
    await sampler;
    expect(samples).toContain('web-1 live, web-2 terminating');
    expect(samples.filter((x) => !x.startsWith('web-1 live') && !x.endsWith('web-2 gone'))).toEqual([]);
    const events = (await k('get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}')).stdout;
    expect(events).toContain('SuccessfulCreate: create Pod web-2 in StatefulSet web successful');
    expect(events).toContain('SuccessfulDelete: delete Pod web-2 in StatefulSet web successful');
    expect(events).toContain('SuccessfulDelete: delete Pod web-1 in StatefulSet web successful');
  }, 300_000);

  it('Parallel: all three pods are created before any is Ready', async () => {
    await apply('par', statefulSet('par', { podManagementPolicy: 'Parallel' }));
    const pods = await waitFor(async () => { const p = await podsOf('par'); return p.length === 3 ? p : undefined; }, { timeoutMs: 30_000, intervalMs: 50, message: 'par pods' });
    expect(pods.filter((p) => readyAt(p) !== undefined)).toEqual([]);
    expect((await k('rollout', 'status', 'sts/par', '--timeout=85s')).stdout).toContain('roll out complete');
  }, 300_000);

  it('volumeClaimTemplates: the recreated pod (same name) sees what the first one wrote into its claim', async () => {
    const body = JSON.parse(statefulSet('data', {
      replicas: 1,
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Mi' } } } }],
    }));
    const c = body.spec.template.spec.containers[0];
    c.command = ['sh', '-c', 'trap "exit 0" TERM; hostname >> /data/log; touch /tmp/ready; while true; do sleep 0.2; done'];
    c.volumeMounts = [{ name: 'www', mountPath: '/data' }];
    await apply('data', JSON.stringify(body));
    expect((await k('rollout', 'status', 'sts/data', '--timeout=85s')).stdout).toContain('roll out complete');
    expect((await k('exec', 'data-0', '--', 'cat', '/data/log')).stdout).toBe('data-0\n');
    expect((await k('get', 'pvc', 'www-data-0', '-o', 'jsonpath={.status.phase}')).stdout).toBe('Bound');
    const uid = (await k('get', 'pod', 'data-0', '-o', 'jsonpath={.metadata.uid}')).stdout;
    expect((await k('delete', 'pod', 'data-0')).stdout).toBe('pod "data-0" deleted\n');
    let last = '';
    await waitFor(async () => {
      last = (await k('get', 'pod', 'data-0', '-o', 'jsonpath={.metadata.uid} {.status.conditions[?(@.type=="Ready")].status}')).stdout;
      return last.startsWith(uid) || !last.endsWith(' True') ? undefined : true;
    }, { timeoutMs: 180_000, intervalMs: 500, message: () => `data-0 not made again and Ready (last: ${last})` });
    expect((await k('exec', 'data-0', '--', 'cat', '/data/log')).stdout).toBe('data-0\ndata-0\n');
    const events = (await k('get', 'events', '--field-selector', 'involvedObject.name=data', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}')).stdout;
    expect(events).toContain('create Claim www-data-0 Pod data-0 in StatefulSet data success');
  }, 300_000);
});
