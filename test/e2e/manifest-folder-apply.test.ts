// test/e2e/manifest-folder-apply.test.ts — issue 12's "the manifest folder applies every kind", on a real agent
// and Docker with the real kubectl: the seed's loap Deployment (apps/v1beta1, as written) dropped into the folder
// runs (Deployment, ReplicaSet, pod; the deprecation warning as a Warning event naming the file), `kubectl scale
// --replicas=0` holds, removing the file removes Deployment, ReplicaSet and pods; a file with a ConfigMap and a
// Deployment (the ConfigMap stays the kubelet's, the pods use it), an edit of replicas 1 → 2 applied; an invalid
// Deployment and an unknown kind reported by file and field; an agent restart neither re-creates nor keeps
// objects whose file went while it was down; a second kubelet in split mode applies its own folder to the remote API.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../client/http.js';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const work = mkdtempSync(join(tmpdir(), 'mk-folder-apply-'));
const timingDir = join(work, 'loap');
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);
const out = async (...args: string[]): Promise<string> => (await k(...args)).stdout;
const names = async (what: string, selector: string): Promise<string[]> => (await out('get', what, '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter(Boolean);
const timing = (): string[] => { try { return readFileSync(join(timingDir, 'timing'), 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/^\d+: /, '')); } catch { return []; } };
const manifestErrors = async (): Promise<string[]> => ((await (await fetch(`${rig.url}/manifest-errors`)).json()) as { errors: string[] }).errors;
const until = <T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> => waitFor(f, { timeoutMs, intervalMs: 300, message: what });

const deployment = (name: string, replicas: number, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox
        imagePullPolicy: IfNotPresent
        command: ['sh', '-c', 'echo "greeting=$GREETING"; trap "exit 0" TERM; while true; do sleep 0.2; done']
${extra}`;

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => {
  await rig?.stop();
  kubectl.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('the manifest folder applies every kind', () => {
  it("runs the seed's loap Deployment as written; scale to 0 holds; removing the file removes Deployment, ReplicaSet and pods", async () => {
    const manifest = readFileSync(new URL('../../examples/api/loap-deployment.yaml', import.meta.url), 'utf8').replace('path:         /tmp/loap', `path:         ${timingDir}`);
    rig.write('loap.yaml', manifest);

    await until('loap POST-START', async () => (timing().includes('POST-START') ? true : undefined), 90_000);
    // The main container lives 10 s: scale at once, so that its preStop hook runs (as the seed's experiment does).
    const pods = await names('pods', 'app=loap');
    expect((await k('scale', 'deployment', 'loap', '--replicas=0')).stdout).toBe('deployment.apps/loap scaled\n');
    expect(pods).toHaveLength(1);
    expect(pods[0]).toMatch(/^loap-[a-z0-9]{6,10}-[a-z0-9]{5}$/);
    await until('PRE-HOOK', async () => (timing().includes('PRE-HOOK') ? true : undefined));
    const steps = timing().filter((st) => ['INIT', 'START', 'POST-START', 'PRE-HOOK'].includes(st));
    expect(steps.indexOf('PRE-HOOK')).toBeGreaterThan(steps.indexOf('POST-START'));

    expect(await names('deployment', 'mini-kubelet.dev/manifest-node')).toEqual(['loap']);
    expect(await out('get', 'deployment', 'loap', '-o', 'jsonpath={.apiVersion} {.metadata.annotations.mini-kubelet\\.dev/manifest} {.metadata.labels.mini-kubelet\\.dev/manifest-node}'))
      .toBe(`apps/v1 loap.yaml ${rig.nodeName}`);
    expect(await names('replicaset', 'app=loap')).toHaveLength(1);
    // The server's deprecation warning, named by the file: a Warning event (and a log line).
    const warnings = await until('the APIWarning event', async () => {
      const m = await out('get', 'events', '--field-selector', 'reason=APIWarning', '-o', 'jsonpath={.items[*].message}');
      return m.includes('loap.yaml') ? m : undefined;
    });
    expect(warnings).toContain('loap.yaml[0]: Warning: apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment');

    await until('loap pods gone', async () => ((await names('pods', 'app=loap')).length === 0 ? true : undefined));
    // Two relists of the folder later the file has not been applied again over the scale.
    await new Promise((r) => setTimeout(r, 4500));
    expect(await out('get', 'deployment', 'loap', '-o', 'jsonpath={.spec.replicas}')).toBe('0');

    rig.remove('loap.yaml');
    await until('loap Deployment, ReplicaSet and pods gone', async () => {
      const left = [...await names('deployment', 'app=loap'), ...(await out('get', 'deployment,replicaset', '-o', 'name')).split('\n').filter((l) => l.includes('loap')), ...await names('pods', 'app=loap')];
      return left.length === 0 ? true : undefined;
    });
  });

  it('a file with a ConfigMap and a Deployment: the pods use the ConfigMap; replicas 1 → 2 is applied', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {greeting: hello}\n';
    const env = "        env:\n        - name: GREETING\n          valueFrom: {configMapKeyRef: {name: web-config, key: greeting}}\n";
    rig.write('web.yaml', `${cm}---\n${deployment('web', 1, env)}`);
    await until('web 1 ready', async () => ((await out('get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}')) === '1' ? true : undefined));
    const [pod] = await names('pods', 'app=web');
    await until('web logs the greeting', async () => ((await out('logs', pod!)).includes('greeting=hello') ? true : undefined));
    // The folder's ConfigMaps stay the kubelet's own, as before: used by pods on this node, not API objects.
    expect((await k('get', 'configmap', 'web-config')).stderr).toContain('configmaps "web-config" not found');

    rig.write('web.yaml', `${cm}---\n${deployment('web', 2, env)}`);
    await until('web 2 ready', async () => ((await out('get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}')) === '2' ? true : undefined));
    expect(await names('pods', 'app=web')).toHaveLength(2);
    expect(await names('replicaset', 'app=web')).toHaveLength(1);
  });

  it('an invalid Deployment and an unknown kind are reported by file and field, the valid document beside them applied', async () => {
    const bad = deployment('bad', 1).replace('selector: {matchLabels: {app: bad}}', 'selector: {matchLabels: {app: other}}');
    rig.write('bad.yaml', `${bad}---\napiVersion: v1\nkind: Frobnicator\nmetadata: {name: f}\n---\n${deployment('fine', 0)}`);
    const errors = await until('the errors of bad.yaml', async () => {
      const e = (await manifestErrors()).filter((l) => l.startsWith('bad.yaml'));
      return e.length >= 2 ? e : undefined;
    });
    expect(errors).toContainEqual(expect.stringMatching(/^bad\.yaml\[0\]: spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/));
    expect(errors).toContain('bad.yaml[1]: kind: no matches for kind "Frobnicator" in version "v1" (the API server does not serve it)');
    expect(await out('get', 'deployment', 'fine', '-o', 'jsonpath={.metadata.annotations.mini-kubelet\\.dev/manifest}')).toBe('bad.yaml');
    const events = await until('a FailedValidation event naming bad.yaml', async () => {
      const m = await out('get', 'events', '--field-selector', 'reason=FailedValidation', '-o', 'jsonpath={.items[*].message}');
      return m.includes('bad.yaml[0]: spec.template.metadata.labels') ? m : undefined;
    });
    expect(events).toContain('bad.yaml[1]: kind: no matches for kind "Frobnicator"');
    rig.remove('bad.yaml');
    await until('the errors go', async () => ((await manifestErrors()).some((l) => l.startsWith('bad.yaml')) ? undefined : true));
    await until('fine deleted', async () => ((await k('get', 'deployment', 'fine')).exitCode !== 0 ? true : undefined));
  });

  it('an agent restart does not apply again or duplicate; an object whose file went while it was down is deleted', async () => {
    rig.write('gone.yaml', deployment('gone', 0));
    await until('gone applied', async () => ((await k('get', 'deployment', 'gone')).exitCode === 0 ? true : undefined));
    const before = await out('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.uid} {.metadata.generation}');
    const podsBefore = (await names('pods', 'app=web')).sort();
    expect(podsBefore).toHaveLength(2);

    await rig.stop({ reset: false });
    rig.remove('gone.yaml');
    rig = await startAgentRig({ staticPodPath: rig.dir, rootDir: rig.rootDir, nodeName: rig.nodeName });
    await until('gone deleted after the restart', async () => ((await k('get', 'deployment', 'gone')).exitCode !== 0 ? true : undefined));
    expect(await out('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.uid} {.metadata.generation}')).toBe(before);
    expect(await out('get', 'deployment', '-l', 'mini-kubelet.dev/manifest-node', '-o', 'jsonpath={.items[*].metadata.name}')).toBe('web');
    await until('web 2 ready again', async () => ((await out('get', 'deployment', 'web', '-o', 'jsonpath={.status.readyReplicas}')) === '2' ? true : undefined));
    expect((await names('pods', 'app=web')).sort()).toEqual(podsBefore);
    expect(await names('replicaset', 'app=web')).toHaveLength(1);
  });

  it('a second kubelet in split mode (--kubeconfig) applies its folder to the remote API, owned by its node', async () => {
    const client = new HttpKubeClient({ server: rig.url });
    const b = await startAgentRig({}, { client });
    try {
      b.write('remote.yaml', deployment('remote', 0));
      await until('remote applied', async () => ((await out('get', 'deployment', 'remote', '-o', 'jsonpath={.metadata.labels.mini-kubelet\\.dev/manifest-node}')) === b.nodeName ? true : undefined));
      b.remove('remote.yaml');
      await until('remote deleted', async () => ((await k('get', 'deployment', 'remote')).exitCode !== 0 ? true : undefined));
      // The first node's own objects are not the second's to touch.
      expect(await out('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.labels.mini-kubelet\\.dev/manifest-node}')).toBe(rig.nodeName);
    } finally {
      await b.stop();
      await client.close();
    }
  });
});
