// Real Docker: the ConfigMap/Secret example starts as written, and editing the ConfigMap in its file updates
// the mounted file inside the running container within seconds (the pod keeps running, env stays).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, type AgentRig } from '../../helpers/agent-rig.js';
import { dockerExec, eventually, runningContainer } from './helpers.js';

let rig: AgentRig;
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); });

const example = readFileSync(join(import.meta.dirname, '../../../examples/configmap-secret.yaml'), 'utf8');

describe('examples/configmap-secret.yaml', () => {
  it('starts as written; a ConfigMap edit reaches the mounted file of the running container, not its env', async () => {
    // As written, with its image pull policy as the file has it.
    rig.write('configmap-secret.yaml', example);
    const id = await runningContainer(rig, 'config-demo', 'app');
    const uid = (await rig.pod('config-demo'))!.metadata!.uid;
    expect((await dockerExec(id, ['cat', '/etc/app/greeting'])).stdout).toBe('hello from the ConfigMap');
    expect((await dockerExec(id, ['cat', '/etc/app/app.properties'])).stdout).toBe('colour=blue\nsize=3\n');
    expect((await dockerExec(id, ['sh', '-c', 'echo "$GREETING|$PASSWORD"'])).stdout).toBe('hello from the ConfigMap|s3cr3t\n');
    expect((await dockerExec(id, ['cat', '/etc/secret/password'])).stdout).toBe('s3cr3t');
    expect((await dockerExec(id, ['stat', '-L', '-c', '%a', '/etc/secret/password'])).stdout.trim()).toBe('400');

    const t0 = Date.now();
    rig.write('configmap-secret.yaml', example.replace('greeting: hello from the ConfigMap', 'greeting: edited while running'));
    await eventually(async () => (await dockerExec(id, ['cat', '/etc/app/greeting'])).stdout, (s) => s === 'edited while running', 60_000, 'mounted greeting updated');
    expect(Date.now() - t0).toBeLessThan(60_000); // the kubelet's sync period; a few seconds in practice
    // Same pod, same container; the environment keeps the value it started with.
    const p = (await rig.pod('config-demo'))!;
    expect(p.metadata!.uid).toBe(uid);
    expect(containerStatus(p, 'app')!.restartCount).toBe(0);
    expect((await dockerExec(id, ['sh', '-c', 'echo "$GREETING"'])).stdout).toBe('hello from the ConfigMap\n');
    // The kubelet's layout: key -> ..data/key, ..data -> ..<timestamp>.
    expect((await dockerExec(id, ['readlink', '/etc/app/greeting'])).stdout.trim()).toBe('..data/greeting');
    expect((await dockerExec(id, ['readlink', '/etc/app/..data'])).stdout.trim()).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9}$/);
  });
});
