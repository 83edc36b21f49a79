// test/e2e/two-nodes.test.ts — split mode on one Docker engine (issue 11): a single node (control plane +
// kubelet A) and a second kubelet B that is only a client of A's API (as `mini-kubelet agent --kubeconfig`),
// each with its own root dir and node name. Real kubectl, real Docker: both nodes Ready, a pod bound to B runs
// on B (its containers carry B's label, none A's), B's static pod is mirrored, logs and exec reach B through
// A's API server; then B killed and restarted, and the control plane restarted under a running B: the pods are
// neither lost nor doubled.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../client/http.js';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
/** kubectl's files: never a manifest folder (the kubelet would run them as static pods). */
const files = mkdtempSync(join(tmpdir(), 'mk-two-nodes-'));
let a: AgentRig;
let b: AgentRig;
let client: HttpKubeClient;

const k = (...args: string[]) => kubectl.run(a.url, ...args);
const pod = (name: string, node?: string) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: {
    ...(node ? { nodeName: node } : {}), terminationGracePeriodSeconds: 1,
    containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', `echo from-${name}; trap 'exit 0' TERM; while true; do sleep 0.2; done`] }],
  },
});
const phaseOf = async (name: string): Promise<string> => {
  const r = await k('get', 'pod', name, '-o', 'jsonpath={.status.phase}/{.spec.nodeName}');
  return r.stdout;
};
const startB = (rootDir?: string, nodeName?: string) => startAgentRig({ ...(rootDir ? { rootDir } : {}), ...(nodeName ? { nodeName } : {}) }, { client });

beforeAll(async () => {
  a = await startAgentRig();
  client = new HttpKubeClient({ server: a.url });
  b = await startB();
});
afterAll(async () => {
  await b?.stop();
  await client?.close();
  await a?.stop();
  kubectl.dispose();
  rmSync(files, { recursive: true, force: true });
});

describe('two nodes on one Docker engine', () => {
  it('both register Ready; a pod bound to the second runs there only; its static pod is mirrored; logs and exec reach it', async () => {
    await waitFor(async () => {
      const r = await k('get', 'nodes', '--no-headers');
      return r.stdout.includes(`${a.nodeName} `) && r.stdout.includes(`${b.nodeName} `) && (r.stdout.match(/ Ready /g) ?? []).length === 2 ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 300, message: 'both nodes Ready' });

    const file = join(files, 'on-b.json');
    writeFileSync(file, pod('on-b', b.nodeName));
    expect((await k('apply', '-f', file)).exitCode).toBe(0);
    await waitFor(async () => ((await phaseOf('on-b')) === `Running/${b.nodeName}` ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'on-b Running on B' });
    expect(b.dockerContainers().some((n) => n.includes('on-b'))).toBe(true);
    expect(a.dockerContainers().some((n) => n.includes('on-b'))).toBe(false);

    b.write('static-b.json', pod('static-b'));
    await waitFor(async () => ((await phaseOf('static-b')) === `Running/${b.nodeName}` ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'mirror of static-b Running' });
    const mirror = await k('get', 'pod', 'static-b', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/config\\.mirror}');
    expect(mirror.stdout).toMatch(/^[0-9a-f]{32}$/);

    await waitFor(async () => ((await k('logs', 'on-b')).stdout.includes('from-on-b') ? true : undefined), { timeoutMs: 20_000, intervalMs: 300, message: 'logs of on-b' });
    const exec = await k('exec', 'on-b', '--', 'sh', '-c', 'echo exec-on-b; exit 3');
    expect({ out: exec.stdout, code: exec.exitCode }).toEqual({ out: 'exec-on-b\n', code: 3 });
  });

  it('the second kubelet killed and restarted, then the control plane restarted under it: nothing lost, nothing doubled', async () => {
    const containersOf = (rig: AgentRig, name: string) => rig.dockerContainers().filter((n) => n.includes(`_${name}_`) && !n.startsWith('k8s_POD'));
    const before = containersOf(b, 'on-b');
    expect(before).toHaveLength(1);

    // B stops (pods keep running, as the kubelet's do); a new B on the same root dir and node name adopts them.
    const { rootDir, nodeName, dir } = b;
    await b.stop({ reset: false });
    b = await startAgentRig({ rootDir, nodeName, staticPodPath: dir }, { client });
    await waitFor(async () => ((await phaseOf('on-b')) === `Running/${nodeName}` ? true : undefined), { timeoutMs: 30_000, intervalMs: 300, message: 'on-b Running after B restarted' });
    expect(containersOf(b, 'on-b')).toEqual(before);

    // The control plane (with A's kubelet) stops and comes back on the same port and root dir; B re-lists.
    const port = a.port;
    const aRoot = a.rootDir;
    const aName = a.nodeName;
    const aDir = a.dir;
    await a.stop({ reset: false });
    a = await startAgentRig({ rootDir: aRoot, nodeName: aName, staticPodPath: aDir, readOnlyPort: port });
    const after = join(files, 'after.json');
    writeFileSync(after, pod('after-restart', b.nodeName));
    expect((await k('apply', '-f', after)).exitCode).toBe(0);
    await waitFor(async () => ((await phaseOf('after-restart')) === `Running/${nodeName}` ? true : undefined), { timeoutMs: 60_000, intervalMs: 300, message: 'a pod made after the restart runs on B' });
    expect(await phaseOf('on-b')).toBe(`Running/${nodeName}`);
    expect(containersOf(b, 'on-b')).toEqual(before);

    // A delete through the restarted API stops B's container and removes the object.
    expect((await k('delete', 'pod', 'on-b', '--wait=true', '--timeout=60s')).exitCode).toBe(0);
    expect(containersOf(b, 'on-b').length).toBe(0);
  });
});
