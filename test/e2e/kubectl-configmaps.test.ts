// test/e2e/kubectl-configmaps.test.ts — the REAL kubectl against a real agent on real Docker: ConfigMaps and
// Secrets made through the API (`kubectl create configmap|secret`, `kubectl apply -f`) are used by pods as env
// and volumes, an apply that changes a ConfigMap reaches the mounted file of the running container, and
// `kubectl get` lists the folder's objects beside the API's.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';

const home = mkdtempSync(join(tmpdir(), 'mk-kubectl-cm-home-'));
const files = mkdtempSync(join(tmpdir(), 'mk-kubectl-cm-files-'));
let rig: AgentRig;

async function k(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const r = await execa('kubectl', ['--server', rig.url, ...args], {
    env: { PATH: process.env.PATH!, HOME: home, KUBECONFIG: join(home, 'none') }, extendEnv: false, reject: false, stripFinalNewline: false, timeout: 90_000, stdin: 'ignore',
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}
const file = (name: string, text: string): string => { const f = join(files, name); writeFileSync(f, text); return f; };
const logsOf = async (pod: string): Promise<string> => (await k('logs', pod)).stdout;

const cmYaml = (greeting: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: ${greeting}
`;

const podYaml = `apiVersion: v1
kind: Pod
metadata:
  name: cm-user
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'echo "env=$GREETING pw=$PASSWORD"; while true; do echo "file=$(cat /cfg/greeting)"; sleep 0.5; done']
    env:
    - name: GREETING
      valueFrom: {configMapKeyRef: {name: web-config, key: greeting}}
    - name: PASSWORD
      valueFrom: {secretKeyRef: {name: db, key: password}}
    volumeMounts: [{name: cfg, mountPath: /cfg}]
  volumes:
  - name: cfg
    configMap: {name: web-config}
`;

describe('ConfigMaps and Secrets through kubectl', () => {
  beforeAll(async () => {
    rig = await startAgentRig();
    // One ConfigMap in the manifest folder: listed beside the API's, and not editable through the API.
    rig.write('folder-cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-folder}\ndata: {a: "1", b: "2"}\n');
  });
  afterAll(async () => { await rig?.stop(); });

  it('create, apply, use as env and volume, update the mounted file, list (folder objects stay with the kubelet), delete', async () => {
    expect((await k('apply', '-f', file('cm.yaml', cmYaml('hello')))).stdout).toContain('configmap/web-config created');
    const sec = await k('create', 'secret', 'generic', 'db', '--from-literal=password=s3cret');
    expect(sec.stdout, sec.stderr).toContain('secret/db created');
    const got = JSON.parse((await k('get', 'secret', 'db', '-o', 'json')).stdout) as { data: Record<string, string>; type: string };
    expect(got).toMatchObject({ type: 'Opaque', data: { password: Buffer.from('s3cret').toString('base64') } });

    expect((await k('apply', '-f', file('pod.yaml', podYaml))).stdout).toContain('pod/cm-user created');
    await waitFor(async () => (await logsOf('cm-user')).includes('file=hello'), { timeoutMs: 60_000, intervalMs: 500, message: 'pod reads the ConfigMap' });
    expect(await logsOf('cm-user')).toContain('env=hello pw=s3cret');

    // A changed ConfigMap applied again: the mounted file follows (env does not, as on a cluster).
    expect((await k('apply', '-f', file('cm.yaml', cmYaml('bonjour')))).stdout).toContain('configmap/web-config configured');
    await waitFor(async () => (await logsOf('cm-user')).includes('file=bonjour'), { timeoutMs: 60_000, intervalMs: 500, message: 'mounted file updated' });
    expect((await k('apply', '-f', file('cm.yaml', cmYaml('bonjour')))).stdout).toContain('configmap/web-config unchanged');

    const list = await k('get', 'configmaps');
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+DATA\s+AGE/);
    expect(list.stdout).toMatch(/^web-config\s+1\s+/m);
    expect((await k('get', 'secrets')).stdout).toMatch(/^db\s+Opaque\s+1\s+/m);

    // The folder's ConfigMaps are the kubelet's own (its pods use them), not objects of the API.
    expect((await k('get', 'configmap', 'from-folder')).stderr).toContain('configmaps "from-folder" not found');

    expect((await k('delete', 'pod', 'cm-user', '--wait=false')).exitCode).toBe(0);
    expect((await k('delete', 'configmap', 'web-config')).stdout).toContain('configmap "web-config" deleted');
    expect((await k('get', 'configmap', 'web-config')).stderr).toContain('NotFound');
  });

  it('an invalid ConfigMap is refused with the field, and nothing is kept', async () => {
    const r = await k('apply', '-f', file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\ndata: {k: v}\n'));
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('metadata.name');
    expect((await k('get', 'configmaps', '-o', 'name')).stdout).not.toContain('Bad_Name');
  });
});
