// Real Docker: the container fields, observed from inside — command/args against the image's
// ENTRYPOINT/CMD with $(VAR) expansion, workingDir, env (value, fieldRef, resourceFieldRef), named ports
// used by a probe, hostPort, tty/stdin, imagePullPolicy Never, lifecycle.stopSignal.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, condition, type AgentRig } from '../../helpers/agent-rig.js';
import { waitFor } from '../../helpers/docker-rig.js';
import { containerId, docker, dockerExec, execIn, makeImage, pod, removeImage, runTag, runningContainer } from './helpers.js';

let rig: AgentRig;
const image = runTag('entrypoint');
const hostDir = mkdtempSync(join(tmpdir(), 'mk-spec-container-'));
beforeAll(async () => {
  rig = await startAgentRig();
  await makeImage(image, ['ENTRYPOINT ["echo", "entrypoint"]', 'CMD ["default-cmd"]']);
});
afterAll(async () => {
  await rig?.stop();
  await removeImage(image);
  rmSync(hostDir, { recursive: true, force: true });
});

/** The log of a pod's only container once the pod has Succeeded. */
async function finishedLog(name: string): Promise<string> {
  const p = await rig.waitForPod(name, (x) => x.status?.phase === 'Succeeded', 90_000, 'Succeeded');
  return docker('logs', containerId(p, 'main'));
}

const entry = (name: string, fields: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: ${image}
    imagePullPolicy: Never
${fields}`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const port = (s.address() as { port: number }).port; s.close(() => resolve(port)); });
  });
}

describe.concurrent('container fields', () => {
  it('command and args follow the Kubernetes rules against ENTRYPOINT and CMD', async ({ expect }) => {
    rig.write('ep-none.yaml', entry('ep-none', ''));
    rig.write('ep-args.yaml', entry('ep-args', "    args: ['a', 'b']\n"));
    rig.write('ep-cmd.yaml', entry('ep-cmd', "    command: ['echo', 'own-command']\n"));
    rig.write('ep-both.yaml', entry('ep-both', "    command: ['echo']\n    args: ['x', 'y']\n"));
    expect(await finishedLog('ep-none')).toBe('entrypoint default-cmd\n');
    expect(await finishedLog('ep-args')).toBe('entrypoint a b\n');
    expect(await finishedLog('ep-cmd')).toBe('own-command\n');
    expect(await finishedLog('ep-both')).toBe('x y\n');
  });

  it('$(VAR) expansion in env values, command and args; $$ escapes; unknown references stay', async ({ expect }) => {
    rig.write('expand.yaml', entry('expand', `    command: ['echo', '$(GREETING)']
    args: ['$(WHO)', '$$(WHO)', '$(NOPE)']
    env:
    - {name: WHO, value: world}
    - {name: GREETING, value: 'hello-$(WHO)-$(LATER)'}
    - {name: LATER, value: late}
`));
    expect(await finishedLog('expand')).toBe('hello-world-$(LATER) world $(WHO) $(NOPE)\n');
  });

  it('workingDir and the downward API in env: fieldRef and resourceFieldRef', async ({ expect }) => {
    rig.write('downward-env.yaml', pod('downward-env', {
      labels: 'labels: {app: demo}\nannotations: {note: hi}',
      container: `workingDir: /tmp/work
resources:
  requests: {cpu: 250m, memory: 32Mi}
  limits: {memory: 64Mi}
env:
- {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
- {name: POD_NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
- {name: POD_UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
- {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
- {name: NOTE, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['note']"}}}
- {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
- {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
- {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
- {name: MEM_LIMIT_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
- {name: CPU_REQ_M, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
- {name: CPU_LIMIT, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}`,
    }));
    const id = await runningContainer(rig, 'downward-env', 'main');
    const p = (await rig.pod('downward-env'))!;
    const out = (await dockerExec(id, ['sh', '-c', 'pwd; echo "$POD_NAME|$POD_NS|$POD_UID|$APP|$NOTE|$NODE|$POD_IP|$HOST_IP|$MEM_LIMIT_MI|$CPU_REQ_M|$CPU_LIMIT"'])).stdout;
    const cores = (await import('node:os')).cpus().length;
    expect(out).toBe(`/tmp/work\ndownward-env|default|${p.metadata!.uid}|demo|hi|${rig.nodeName}|${p.status!.podIP}|${p.status!.hostIP}|64|250|${cores}\n`);
  });

  it('a named port serves the readiness probe; hostPort forwards from the host', async ({ expect }) => {
    const port = await freePort();
    rig.write('ports.yaml', pod('ports', {
      cmd: 'mkdir -p /www && echo served > /www/index.html && httpd -f -p 8080 -h /www',
      container: `ports:
- {name: web, containerPort: 8080, hostPort: ${port}}
readinessProbe:
  httpGet: {path: /, port: web}
  periodSeconds: 1`,
    }));
    const p = await rig.waitForPod('ports', (x) => condition(x, 'Ready')?.status === 'True', 90_000, 'Ready through the named port');
    expect(containerStatus(p, 'main')!.ready).toBe(true);
    const body = await waitFor(async () => { const r = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined); return r?.ok ? r.text() : undefined; }, { timeoutMs: 60_000, message: `hostPort ${port}` });
    expect(body).toBe('served\n');
  });

  it('tty gives the process a terminal; stdin keeps its input open', async ({ expect }) => {
    rig.write('tty.yaml', pod('tty', { cmd: 'if [ -t 1 ]; then echo tty > /tmp/r; else echo notty > /tmp/r; fi; sleep 3600', container: 'tty: true' }));
    rig.write('notty.yaml', pod('notty', { cmd: 'if [ -t 1 ]; then echo tty > /tmp/r; else echo notty > /tmp/r; fi; sleep 3600' }));
    rig.write('stdin.yaml', pod('stdin', { cmd: 'read x; echo returned > /tmp/r; sleep 3600', container: 'stdin: true' }));
    rig.write('nostdin.yaml', pod('nostdin', { cmd: 'read x; echo returned > /tmp/r; sleep 3600' }));
    const read = (name: string) => execIn(rig, name, 'main', ['sh', '-c', 'sleep 1; cat /tmp/r 2>/dev/null || echo none']);
    expect(await read('tty')).toBe('tty\n');
    expect(await read('notty')).toBe('notty\n');
    expect(await read('stdin')).toBe('none\n');
    expect(await read('nostdin')).toBe('returned\n');
  });

  it('imagePullPolicy Never with an absent image: ErrImageNeverPull', async ({ expect }) => {
    rig.write('never.yaml', pod('never', {}).replace('image: busybox\n    imagePullPolicy: IfNotPresent', 'image: mini-kubelet-test/absent:v1\n    imagePullPolicy: Never'));
    const p = await rig.waitForPod('never', (x) => containerStatus(x, 'main')?.state?.waiting?.reason === 'ErrImageNeverPull', 90_000, 'ErrImageNeverPull');
    expect(containerStatus(p, 'main')!.state!.waiting!.message).toBe('Container image "mini-kubelet-test/absent:v1" is not present with pull policy of Never');
  });

  it('lifecycle.stopSignal is the signal the container gets when the pod stops', async ({ expect }) => {
    rig.write('stopsig.yaml', pod('stopsig', {
      cmd: "trap 'echo USR1 > /out/signal; exit 0' USR1; trap 'echo TERM > /out/signal; exit 0' TERM; while true; do sleep 0.2; done",
      container: 'lifecycle: {stopSignal: SIGUSR1}\nvolumeMounts:\n- {name: out, mountPath: /out}',
      spec: `os: {name: linux}\nvolumes:\n- name: out\n  hostPath: {path: ${hostDir}, type: Directory}`,
    }));
    await runningContainer(rig, 'stopsig', 'main');
    rig.remove('stopsig.yaml');
    await rig.waitForGone('stopsig', 60_000);
    expect(existsSync(join(hostDir, 'signal')) && readFileSync(join(hostDir, 'signal'), 'utf8')).toBe('USR1\n');
  });
});
