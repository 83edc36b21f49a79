// test/e2e/kubectl-node.test.ts — the REAL kubectl against the embedded API server (control-plane/, on a
// store in a temporary directory) with the node agent (agent/node/) writing through HttpKubeClient in real
// time: `kubectl get nodes -o wide`, `kubectl describe node` (labels, annotations, conditions, addresses,
// Capacity/Allocatable, System Info, Lease, the node's events) and `kubectl get lease -n kube-node-lease`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKubeClient } from '../../client/http.js';
import { startApiServer, type ApiServer } from '../../control-plane/apiserver/index.js';
import { openStore, type ObjectStore } from '../../control-plane/store/index.js';
import { EventRecorder } from '../../agent/events/recorder.js';
import { goArch } from '../../agent/node/machine-info.js';
import { startNodeAgent, type NodeAgent } from '../../agent/node/index.js';
import { kubectlClient, type Kubectl } from '../helpers/kubectl.js';
import { memoryLog } from '../unit/node/node-rig.js';

const dir = mkdtempSync(join(tmpdir(), 'mk-kubectl-node-'));
const osImage = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))![1]!;
let store: ObjectStore;
let api: ApiServer;
let client: HttpKubeClient;
let agent: NodeAgent;
let k: Kubectl;

beforeAll(async () => {
  store = await openStore({ dir: join(dir, 'control-plane') });
  api = await startApiServer({ store });
  client = new HttpKubeClient({ server: api.url });
  agent = startNodeAgent({
    client, nodeName: 'mini-node', nodeIP: '10.11.12.13', hostname: 'mini-host', port: 10250, maxPods: 110, rootDir: dir,
    healthy: () => true, runtimeVersion: '27.5.1', events: new EventRecorder('mini-node'), log: memoryLog(),
  });
  await agent.ready;
  await agent.idle();
  k = kubectlClient();
});
afterAll(async () => {
  await agent?.stop();
  await client?.close();
  await api?.close();
  await store?.close();
  k?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const out = async (...args: string[]): Promise<string> => {
  const r = await k.run(api.url, ...args);
  expect(r.stderr, `kubectl ${args.join(' ')}`).toBe('');
  expect(r.exitCode).toBe(0);
  return r.stdout;
};

describe('kubectl and the node agent', () => {
  it('get nodes -o wide: Ready, the version, the internal IP, OS image, kernel and runtime', async () => {
    const text = await out('get', 'nodes', '-o', 'wide');
    const [header, row, ...rest] = text.trimEnd().split('\n');
    expect(header).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
    expect(rest).toEqual([]);
    const cells = row!.split(/\s{2,}/);
    expect(cells).toEqual(['mini-node', 'Ready', '<none>', expect.stringMatching(/^\d+s$/), 'v1.33.0-mini', '10.11.12.13', '<none>', osImage, expect.any(String), 'docker://27.5.1']);
  });

  it('describe node: labels, conditions, addresses, Capacity and Allocatable, System Info, Lease and events', async () => {
    const text = await out('describe', 'node', 'mini-node');
    const arch = goArch(process.arch);
    expect(text).toMatch(/^Name:\s+mini-node$/m);
    expect(text).toMatch(/^Roles:\s+<none>$/m);
    for (const label of [`beta.kubernetes.io/arch=${arch}`, 'beta.kubernetes.io/os=linux', `kubernetes.io/arch=${arch}`, 'kubernetes.io/hostname=mini-host', 'kubernetes.io/os=linux']) {
      expect(text).toContain(label);
    }
    expect(text).toMatch(/^Annotations:\s+node\.alpha\.kubernetes\.io\/ttl: 0$/m);
    expect(text).toMatch(/^\s+volumes\.kubernetes\.io\/controller-managed-attach-detach: true$/m);
    expect(text).toMatch(/^Unschedulable:\s+false$/m);
    expect(text).toMatch(/^Lease:\n\s+HolderIdentity:\s+mini-node\n\s+AcquireTime:\s+<unset>\n\s+RenewTime:\s+\w{3}, \d{2} \w{3} \d{4} [\d:]{8} \+0000$/m);
    for (const [type, reason, message] of [
      ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ]) expect(text).toMatch(new RegExp(`^\\s+${type}\\s+False\\s+.+\\s+${reason}\\s+${message}$`, 'm'));
    expect(text).toMatch(/^\s+Ready\s+True\s+.+\s+KubeletReady\s+kubelet is posting ready status$/m);
    expect(text).toMatch(/^Addresses:\n\s+InternalIP:\s+10\.11\.12\.13\n\s+Hostname:\s+mini-host$/m);
    for (const section of ['Capacity', 'Allocatable']) {
      const block = new RegExp(`^${section}:\\n((?:\\s+.+\\n)+)`, 'm').exec(text)![1]!;
      expect(block).toMatch(/^\s+cpu:\s+\d+$/m);
      expect(block).toMatch(/^\s+ephemeral-storage:\s+\d+(Ki|Mi|Gi)?$/m);
      expect(block).toMatch(/^\s+hugepages-2Mi:\s+\d+(Mi|Gi)?$/m);
      expect(block).toMatch(/^\s+memory:\s+\d+(Ki|Mi|Gi)?$/m);
      expect(block).toMatch(/^\s+pods:\s+110$/m);
    }
    expect(text).toMatch(/^System Info:\n\s+Machine ID:\s+\S+\n\s+System UUID:.*\n\s+Boot ID:\s+\S+\n\s+Kernel Version:\s+\S+\n\s+OS Image:\s+.+\n\s+Operating System:\s+linux\n/m);
    expect(text).toMatch(/^\s+Architecture:\s+\S+\n\s+Container Runtime Version:\s+docker:\/\/27\.5\.1\n\s+Kubelet Version:\s+v1\.33\.0-mini\n\s+Kube-Proxy Version:\s*$/m);
    expect(text).toMatch(/^\s+Normal\s+NodeHasSufficientMemory\s+\S+\s+kubelet\s+Node mini-node status is now: NodeHasSufficientMemory$/m);
  });

  it('get lease -n kube-node-lease: the node holds its lease', async () => {
    expect(await out('get', 'lease', '-n', 'kube-node-lease')).toMatch(/^NAME\s+HOLDER\s+AGE\nmini-node\s+mini-node\s+\d+s\n$/);
  });
});
