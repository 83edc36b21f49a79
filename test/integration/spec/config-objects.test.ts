// Real Docker: ConfigMaps and Secrets from the manifest folder as env, envFrom and volumes (items,
// defaultMode, optional); a missing object makes the pod wait (env: CreateContainerConfigError with the
// kubelet's message; volume: ContainerCreating with FailedMount) and it starts once the object appears.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, type AgentRig } from '../../helpers/agent-rig.js';
import { dockerExec, eventually, execIn, pod, runningContainer } from './helpers.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

const cm = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;
const secret = (name: string, data: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\ntype: Opaque\nstringData:\n${data}`;

describe.concurrent('ConfigMaps and Secrets', () => {
  it('env: configMapKeyRef, secretKeyRef, optional refs; envFrom with prefix, invalid keys skipped', async ({ expect }) => {
    rig.write('env-refs.yaml', pod('env-refs', {
      docs: `${cm('env-cm', '  colour: blue\n  size: "3"\n')}\n---\n${secret('env-secret', '  token: t0ken\n  9lives: cat\n')}`,
      container: `env:
- {name: COLOUR, valueFrom: {configMapKeyRef: {name: env-cm, key: colour}}}
- {name: TOKEN, valueFrom: {secretKeyRef: {name: env-secret, key: token}}}
- {name: NOPE, valueFrom: {configMapKeyRef: {name: no-such-cm, key: x, optional: true}}}
- {name: NOKEY, valueFrom: {secretKeyRef: {name: env-secret, key: missing, optional: true}}}
envFrom:
- {prefix: CM_, configMapRef: {name: env-cm}}
- {secretRef: {name: env-secret}}
- {configMapRef: {name: absent-cm, optional: true}}`,
    }));
    const out = await execIn(rig, 'env-refs', 'main', ['env']);
    const env = Object.fromEntries(out.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env).toMatchObject({ COLOUR: 'blue', TOKEN: 't0ken', CM_colour: 'blue', CM_size: '3', token: 't0ken' });
    expect(env.NOPE).toBeUndefined();
    expect(env.NOKEY).toBeUndefined();
    // `9lives` is a valid Secret key but not a variable name: skipped (with an InvalidEnvironmentVariableNames event).
    expect(Object.keys(env).some((k) => k.includes('9lives'))).toBe(false);
  });

  it('volumes: items with paths and modes, defaultMode, binary-safe secret data, optional missing objects', async ({ expect }) => {
    rig.write('vol-items.yaml', pod('vol-items', {
      docs: `${cm('items-cm', '  a: alpha\n  b: beta\n')}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: items-secret\ndata:\n  key: aGVsbG8=\n`,
      container: `volumeMounts:
- {name: some, mountPath: /some}
- {name: all, mountPath: /all}
- {name: sec, mountPath: /sec}
- {name: opt, mountPath: /opt-cm}`,
      spec: `volumes:
- name: some
  configMap: {name: items-cm, items: [{key: a, path: nested/first.txt, mode: 0600}]}
- name: all
  configMap: {name: items-cm, defaultMode: 0640}
- name: sec
  secret: {secretName: items-secret}
- name: opt
  configMap: {name: not-there, optional: true}`,
    }));
    const id = await runningContainer(rig, 'vol-items', 'main');
    const sh = async (c: string) => (await dockerExec(id, ['sh', '-c', c])).stdout;
    expect(await sh('cat /some/nested/first.txt; ls /some')).toBe('alphanested\n');
    expect(await sh('stat -L -c %a /some/nested/first.txt /all/a /all/b /sec/key')).toBe('600\n640\n640\n644\n');
    expect(await sh('cat /sec/key')).toBe('hello');
    expect(await sh('ls -A /opt-cm | grep -v "^\\.\\." | wc -l')).toBe('0\n');
    // Mounted read-only, as the kubelet mounts API data volumes.
    expect((await dockerExec(id, ['sh', '-c', 'echo x > /all/a'])).code).not.toBe(0);
  });

  it('a missing ConfigMap in env: CreateContainerConfigError with the kubelet\'s message, then starts when it appears', async ({ expect }) => {
    rig.write('wait-env.yaml', pod('wait-env', { container: 'env:\n- {name: V, valueFrom: {configMapKeyRef: {name: late-cm, key: v}}}' }));
    const p = await rig.waitForPod('wait-env', (x) => containerStatus(x, 'main')?.state?.waiting?.reason === 'CreateContainerConfigError', 90_000, 'CreateContainerConfigError');
    expect(containerStatus(p, 'main')!.state!.waiting!.message).toBe('configmap "late-cm" not found');
    expect(p.status?.phase).toBe('Pending');
    rig.write('late-cm.yaml', cm('late-cm', '  other: x\n'));
    const q = await rig.waitForPod('wait-env', (x) => containerStatus(x, 'main')?.state?.waiting?.message === "couldn't find key v in ConfigMap default/late-cm", 90_000, 'missing key message');
    expect(containerStatus(q, 'main')!.state!.waiting!.reason).toBe('CreateContainerConfigError');
    rig.write('late-cm.yaml', cm('late-cm', '  v: arrived\n'));
    expect(await eventually(() => execIn(rig, 'wait-env', 'main', ['sh', '-c', 'echo $V']), (s) => s === 'arrived\n', 60_000, 'env V')).toBe('arrived\n');
  });

  it('a missing Secret in env: CreateContainerConfigError "secret … not found"', async ({ expect }) => {
    rig.write('wait-secret.yaml', pod('wait-secret', { container: 'env:\n- {name: S, valueFrom: {secretKeyRef: {name: late-secret, key: s}}}' }));
    const p = await rig.waitForPod('wait-secret', (x) => containerStatus(x, 'main')?.state?.waiting?.reason === 'CreateContainerConfigError', 90_000, 'CreateContainerConfigError');
    expect(containerStatus(p, 'main')!.state!.waiting!.message).toBe('secret "late-secret" not found');
    rig.write('late-secret.yaml', secret('late-secret', '  s: here\n'));
    expect(await eventually(() => execIn(rig, 'wait-secret', 'main', ['sh', '-c', 'echo $S']), (s) => s === 'here\n', 60_000, 'env S')).toBe('here\n');
  });

  it('a missing ConfigMap for a volume: ContainerCreating (FailedMount), then starts when it appears', async ({ expect }) => {
    rig.write('wait-vol.yaml', pod('wait-vol', {
      container: 'volumeMounts:\n- {name: cfg, mountPath: /cfg}',
      spec: 'volumes:\n- name: cfg\n  configMap: {name: late-vol-cm}',
    }));
    await eventually(async () => (await fetch(`${rig.url}/lifecycle/default/wait-vol`)).text(),
      (t) => t.includes('MountVolume.SetUp failed for volume \\"cfg\\" : configmap \\"late-vol-cm\\" not found'), 60_000, 'FailedMount recorded');
    const p = (await rig.pod('wait-vol'))!;
    expect(containerStatus(p, 'main')?.state?.waiting?.reason).toBe('ContainerCreating');
    rig.write('late-vol-cm.yaml', cm('late-vol-cm', '  f: file content\n'));
    expect(await eventually(() => execIn(rig, 'wait-vol', 'main', ['cat', '/cfg/f']), (s) => s === 'file content', 60_000, 'mounted file')).toBe('file content');
  });

  it('a Secret edit updates the mounted file (atomically) in the running container', async ({ expect }) => {
    rig.write('sec-live.yaml', pod('sec-live', {
      docs: secret('live-secret', '  v: one\n'),
      container: 'volumeMounts:\n- {name: s, mountPath: /s}',
      spec: 'volumes:\n- name: s\n  secret: {secretName: live-secret}',
    }));
    const id = await runningContainer(rig, 'sec-live', 'main');
    expect((await dockerExec(id, ['cat', '/s/v'])).stdout).toBe('one');
    rig.write('sec-live.yaml', pod('sec-live', {
      docs: secret('live-secret', '  v: two\n  w: new\n'),
      container: 'volumeMounts:\n- {name: s, mountPath: /s}',
      spec: 'volumes:\n- name: s\n  secret: {secretName: live-secret}',
    }));
    await eventually(async () => (await dockerExec(id, ['sh', '-c', 'cat /s/v /s/w'])).stdout, (s) => s === 'twonew', 60_000, 'secret files updated');
  });
});
