// The real kubectl against the embedded API server with the StatefulSet controller and no kubelet (the test
// marks every pod Running and Ready itself, as a kubelet would): apply, `rollout status sts/web` with its real
// texts, `get sts -o wide` columns, the ControllerRevision as `get controllerrevisions` prints it, `scale`,
// `set image` rolled out to every pod's controller-revision-hash, `rollout undo` (kubectl applies the old
// revision's patch; the revision is renumbered) and `rollout history`, the forbidden-update message, and
// OnDelete from apps/v1beta1 refused by `rollout status` as kubectl refuses it.
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PODS, type KubeObject } from '../../../client/index.js';
import { rfc3339 } from '../../../control-plane/controllers/framework/index.js';
import { startStatefulSetController } from '../../../control-plane/controllers/statefulset/index.js';
import { kubectlClient } from '../../helpers/kubectl.js';
import { startPlane, type Plane } from '../client/helpers.js';

let plane: Plane;
let ac: AbortController;
let running: Promise<void>;
let marker: ReturnType<typeof setInterval>;
const kubectl = kubectlClient();
const dir = mkdtempSync(join(tmpdir(), 'mk-sts-kubectl-'));
const k = (...a: string[]) => kubectl.run(plane.api.url, ...a);

/** What a kubelet would do: every pod not yet Running becomes Running and Ready. */
async function markReady(): Promise<void> {
  for (const p of (await plane.client.list(PODS, { namespace: 'default' })).items as (KubeObject & { status?: { phase?: string } })[]) {
    if (p.status?.phase === 'Running' || p.metadata?.deletionTimestamp) continue;
    await plane.client.patch(PODS, 'default', p.metadata!.name!, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(Date.now()) }] } }, { subresource: 'status' }).catch(() => undefined);
  }
}

beforeAll(async () => {
  plane = await startPlane();
  ac = new AbortController();
  running = startStatefulSetController({ client: plane.client }).run(ac.signal);
  marker = setInterval(() => { void markReady(); }, 100);
});
afterAll(async () => {
  clearInterval(marker);
  ac.abort();
  await running;
  await plane.close();
  kubectl.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const manifest = (name: string, apiVersion: string, selector: boolean): string => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `apiVersion: ${apiVersion}
kind: StatefulSet
metadata: {name: ${name}}
spec:
  replicas: 2
  serviceName: ${name}
${selector ? `  selector: {matchLabels: {app: ${name}}}\n` : ''}  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: busybox}]
`);
  return file;
};

describe('kubectl and StatefulSets (no kubelet)', () => {
  it('apply, rollout status, get, scale, set image, undo, history, forbidden update', async () => {
    expect((await k('apply', '-f', manifest('web', 'apps/v1', true))).stdout).toBe('statefulset.apps/web created\n');
    expect((await k('rollout', 'status', 'sts/web', '--timeout=20s')).stdout).toBe('partitioned roll out complete: 2 new pods have been updated...\n');
    expect((await k('get', 'sts', '-o', 'wide')).stdout).toMatch(/^NAME\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\nweb\s+2\/2\s+\d+s\s+c\s+busybox\n$/);
    expect((await k('get', 'controllerrevisions')).stdout).toMatch(/^NAME\s+CONTROLLER\s+REVISION\s+AGE\nweb-[4-9bcdf]+\s+statefulset\.apps\/web\s+1\s+\d+s\n$/);

    expect((await k('scale', 'sts/web', '--replicas=3')).stdout).toBe('statefulset.apps/web scaled\n');
    expect((await k('rollout', 'status', 'sts/web', '--timeout=20s')).stdout).toBe('partitioned roll out complete: 3 new pods have been updated...\n');

    const first = (await k('get', 'sts', 'web', '-o', 'jsonpath={.status.currentRevision}')).stdout;
    expect((await k('set', 'image', 'sts/web', 'c=busybox:1.36')).stdout).toBe('statefulset.apps/web image updated\n');
    expect((await k('rollout', 'status', 'sts/web', '--timeout=20s')).stdout).toContain('partitioned roll out complete: 3 new pods have been updated...');
    const second = (await k('get', 'sts', 'web', '-o', 'jsonpath={.status.currentRevision}')).stdout;
    expect(second).not.toBe(first);
    expect((await k('get', 'pods', '-o', 'jsonpath={.items[*].metadata.labels.controller-revision-hash}')).stdout).toBe(`${second} ${second} ${second}`);

    expect((await k('rollout', 'undo', 'sts/web')).stdout).toBe('statefulset.apps/web rolled back\n');
    expect((await k('rollout', 'status', 'sts/web', '--timeout=20s')).stdout).toContain('partitioned roll out complete: 3 new pods have been updated...');
    expect((await k('get', 'sts', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.status.currentRevision}')).stdout).toBe(`busybox ${first}`);
    expect((await k('rollout', 'history', 'sts/web')).stdout).toBe('statefulset.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');

    const bad = await k('patch', 'sts/web', '--type=merge', '-p', '{"spec":{"serviceName":"other"}}');
    expect(bad.stderr).toBe("The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n");
  }, 150_000);

  it('apps/v1beta1 (no selector): the deprecation warning, OnDelete, and rollout status refuses it', async () => {
    const r = await k('apply', '-f', manifest('old', 'apps/v1beta1', false));
    expect(r.stdout).toBe('statefulset.apps/old created\n');
    expect(r.stderr).toBe('Warning: apps/v1beta1 StatefulSet is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 StatefulSet\n');
    expect((await k('rollout', 'status', 'sts/old')).stderr).toBe('error: rollout status is only available for RollingUpdate strategy type\n');
  });
});
