// test/e2e/kubectl-cascade.test.ts — the real kubectl against a real agent on real Docker (issue 11's
// acceptance): patch, replace and watch of a running pod, and `kubectl delete --cascade` in each mode on an owner
// whose dependents are running pods: background (the pods go, their containers stop), foreground (the owner
// stays until its pods are gone), orphan (the pods keep running, without the owner reference).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-cascade-'));
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);

/** `slow`: the container ignores SIGTERM, so the pod takes its whole grace period (3 s) to stop. */
const podYaml = (name: string, owner?: { name: string; uid: string }, slow = false) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: cascade}
${owner ? `  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: ${owner.name}, uid: ${owner.uid}, blockOwnerDeletion: true}]\n` : ''}spec:
  terminationGracePeriodSeconds: ${slow ? 3 : 1}
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', '${slow ? '' : 'trap "exit 0" TERM; '}while true; do sleep 0.2; done']
`;
const apply = async (name: string, yaml: string) => {
  const f = join(files, `${name}.yaml`);
  writeFileSync(f, yaml);
  const r = await k('apply', '-f', f);
  expect(r.exitCode, r.stderr).toBe(0);
  return f;
};
const phase = async (name: string) => (await k('get', 'pod', name, '-o', 'jsonpath={.status.phase}')).stdout;
const running = (name: string) => waitFor(async () => ((await phase(name)) === 'Running' ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: `${name} not Running` });
const gone = (kind: string, name: string) => waitFor(async () => ((await k('get', kind, name)).stderr.includes('NotFound') ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: `${kind} ${name} still there` });
const runningContainers = (pod: string) => rig.dockerContainers().filter((n) => n.startsWith(`k8s_main_${pod}_`)).length;

/** A ConfigMap owner and one running pod depending on it. */
async function ownerWithPod(owner: string, pod: string, slow = false): Promise<void> {
  expect((await k('create', 'configmap', owner, '--from-literal=a=b')).exitCode).toBe(0);
  const uid = (await k('get', 'configmap', owner, '-o', 'jsonpath={.metadata.uid}')).stdout;
  await apply(pod, podYaml(pod, { name: owner, uid }, slow));
  await running(pod);
}

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => {
  await rig?.stop();
  kubectl.dispose();
  rmSync(files, { recursive: true, force: true });
});

describe('kubectl on a running pod and on owners of running pods', () => {
  it('patch and replace change its labels in place; get -w streams its rows', async () => {
    const file = await apply('edited', podYaml('edited'));
    await running('edited');
    const uid = (await k('get', 'pod', 'edited', '-o', 'jsonpath={.metadata.uid}')).stdout;
    expect((await k('patch', 'pod', 'edited', '-p', '{"metadata":{"labels":{"patched":"yes"}}}')).stdout).toBe('pod/edited patched\n');
    // replace takes the whole object: as on a cluster, that is the live one edited (a bare manifest lacks the
    // server's fields, spec.nodeName among them, and is refused as a pod spec change).
    const live = JSON.parse((await k('get', 'pod', 'edited', '-o', 'json')).stdout) as { metadata: { labels: Record<string, string> } };
    live.metadata.labels['replaced'] = 'yes';
    writeFileSync(file, JSON.stringify(live));
    expect((await k('replace', '-f', file)).stdout).toBe('pod/edited replaced\n');
    const labels = JSON.parse((await k('get', 'pod', 'edited', '-o', 'jsonpath={.metadata.labels}')).stdout) as Record<string, string>;
    expect({ labels, uid: (await k('get', 'pod', 'edited', '-o', 'jsonpath={.metadata.uid}')).stdout, phase: await phase('edited') })
      .toEqual({ labels: { app: 'cascade', patched: 'yes', replaced: 'yes' }, uid, phase: 'Running' });
    const watch = await k('get', 'pod', 'edited', '-w', '--request-timeout=3s', '--no-headers');
    expect(watch.stdout).toMatch(/^edited\s+1\/1\s+Running\s+0\s+\d+s$/m);
  });

  it('--cascade=background: the owner goes, then its pod (its container stopped)', async () => {
    await ownerWithPod('owner-bg', 'dep-bg');
    expect((await k('delete', 'configmap', 'owner-bg', '--cascade=background')).exitCode).toBe(0);
    await gone('pod', 'dep-bg');
    expect(runningContainers('dep-bg')).toBe(0);
  });

  it('--cascade=foreground: the owner stays (foregroundDeletion) until its pod is gone', async () => {
    // The pod takes its 3 s grace to stop: meanwhile the owner waits, marked, and its pod is Terminating.
    await ownerWithPod('owner-fg', 'dep-fg', true);
    expect((await k('delete', 'configmap', 'owner-fg', '--cascade=foreground', '--wait=false')).exitCode).toBe(0);
    const finalizers = (await k('get', 'configmap', 'owner-fg', '-o', 'jsonpath={.metadata.finalizers}')).stdout;
    // The garbage collector marks the pod after kubectl returns; it then lives out its 3 s grace. Read it straight
    // from the API (a kubectl process per look can take seconds on a loaded machine and miss the window).
    const podDeleting = await waitFor(async () => {
      const r = await fetch(`${rig.url}/api/v1/namespaces/default/pods/dep-fg`);
      const grace = r.ok ? ((await r.json()) as { metadata: { deletionGracePeriodSeconds?: number } }).metadata.deletionGracePeriodSeconds : undefined;
      return grace === undefined ? undefined : String(grace);
    }, { timeoutMs: 60_000, intervalMs: 50, message: 'dep-fg not marked for deletion' });
    expect({ finalizers, podDeleting }).toEqual({ finalizers: '["foregroundDeletion"]', podDeleting: '3' });
    await gone('configmap', 'owner-fg');
    expect((await k('get', 'pod', 'dep-fg')).stderr).toContain('NotFound');
  });

  it('--cascade=orphan: the pod keeps running, without the owner reference', async () => {
    await ownerWithPod('owner-or', 'dep-or');
    expect((await k('delete', 'configmap', 'owner-or', '--cascade=orphan')).exitCode).toBe(0);
    await gone('configmap', 'owner-or');
    await waitFor(async () => ((await k('get', 'pod', 'dep-or', '-o', 'jsonpath={.metadata.ownerReferences}')).stdout === '' ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 300, message: 'owner reference still on dep-or' });
    expect({ phase: await phase('dep-or'), containers: runningContainers('dep-or') }).toEqual({ phase: 'Running', containers: 1 });
  });
});
