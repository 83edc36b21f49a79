// test/e2e/kubectl-agent.test.ts — the REAL kubectl against a real agent on real Docker (test/helpers/
// agent-rig.ts): apply, get, describe with Events, logs, exec, delete, events, nodes, and API pods surviving
// an agent restart. Asserts what kubectl prints, as on a cluster for the same pod.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../agent/api/v1.js';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';

const home = mkdtempSync(join(tmpdir(), 'mk-kubectl-home-'));
const files = mkdtempSync(join(tmpdir(), 'mk-kubectl-files-'));
let rig: AgentRig;

async function kubectl(server: string, ...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const r = await execa('kubectl', ['--server', server, ...args], {
    env: { PATH: process.env.PATH!, HOME: home, KUBECONFIG: join(home, 'none') }, extendEnv: false, reject: false, stripFinalNewline: false, timeout: 90_000, stdin: 'ignore',
  });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}
const k = (...args: string[]) => kubectl(rig.url, ...args);
const getPod = async (name: string): Promise<Pod | undefined> => {
  const r = await k('get', 'pod', name, '-o', 'json');
  return r.exitCode === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
};
const waitRunning = (name: string) => waitFor(async () => {
  const p = await getPod(name);
  return p?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
}, { timeoutMs: 90_000, intervalMs: 500, message: `pod ${name} not Ready` });

const manifest = (name: string, echo: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'echo ${echo}; trap "exit 0" TERM; while true; do sleep 0.2; done']
`;

/** Runs kubectl under a pseudo-terminal (python's pty), typing `inputs` one per second after `delaySec`. */
async function inTerminal(args: string[], inputs: string[], delaySec: number): Promise<{ output: string; exitCode: number }> {
  const script = [
    'import json, os, pty, sys, time',
    'args, inputs, delay = json.loads(sys.argv[1])',
    'pid, fd = pty.fork()',
    'if pid == 0:',
    '    os.execvp("kubectl", ["kubectl"] + args)',
    'time.sleep(delay)',
    'for s in inputs:',
    '    os.write(fd, s.encode()); time.sleep(1)',
    'out = b""',
    'while True:',
    '    try: d = os.read(fd, 1024)',
    '    except OSError: break',
    '    if not d: break',
    '    out += d',
    '_, st = os.waitpid(pid, 0)',
    'sys.stdout.write(json.dumps({"output": out.decode("utf8", "replace"), "exitCode": os.waitstatus_to_exitcode(st)}))',
  ].join('\n');
  const r = await execa('python3', ['-c', script, JSON.stringify([['--server', rig.url, ...args], inputs, delaySec])], {
    env: { PATH: process.env.PATH!, HOME: home, KUBECONFIG: join(home, 'none') }, extendEnv: false, timeout: 120_000,
  });
  return JSON.parse(String(r.stdout)) as { output: string; exitCode: number };
}

beforeAll(async () => {
  rig = await startAgentRig();
});
afterAll(async () => {
  await rig?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe('kubectl against a real agent', () => {
  it('apply, get, describe, logs, exec, events, nodes, delete', async () => {
    const file = join(files, 'hello.yaml');
    writeFileSync(file, manifest('hello', 'hello from the pod'));
    expect(await k('apply', '-f', file)).toMatchObject({ exitCode: 0, stdout: 'pod/hello created\n' });
    const pod = await waitRunning('hello');

    const get = await k('get', 'pods');
    expect(get.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nhello\s+1\/1\s+Running\s+0\s+\S+\n$/);
    const wide = await k('get', 'pods', '-o', 'wide');
    expect(wide.stdout).toMatch(new RegExp(`hello\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${pod.status!.podIP!.replace(/\./g, '\\.')}\\s+${rig.nodeName}\\s+<none>\\s+<none>`));
    expect((await k('get', 'pod', 'hello', '-o', 'yaml')).stdout).toContain('phase: Running');

    const describe = await k('describe', 'pod', 'hello');
    expect(describe.stdout).toMatch(/^Status:\s+Running$/m);
    expect(describe.stdout).toMatch(/Conditions:\n\s+Type\s+Status\n/);
    expect(describe.stdout).toMatch(/Normal\s+Started\s+\S+\s+kubelet\s+Started container main/);

    await waitFor(async () => (await k('logs', 'hello')).stdout.includes('hello from the pod') || undefined, { timeoutMs: 10_000, intervalMs: 300, message: 'log line' });
    expect((await k('logs', 'hello', '--tail=1', '--timestamps')).stdout).toMatch(/^\d{4}-\d\d-\d\dT\S+Z hello from the pod\n$/);

    expect(await k('exec', 'hello', '--', 'sh', '-c', 'echo in-pod $(hostname)')).toMatchObject({ exitCode: 0, stdout: 'in-pod hello\n' });
    const failed = await k('exec', 'hello', '--', 'sh', '-c', 'exit 7');
    expect(failed.exitCode).toBe(7);
    expect(failed.stderr).toContain('command terminated with exit code 7');

    expect((await k('get', 'events', '--field-selector', 'involvedObject.name=hello')).stdout).toMatch(/Normal\s+Started\s+pod\/hello\s+Started container main/);
    const nodes = await k('get', 'nodes', '-o', 'wide');
    expect(nodes.stdout).toMatch(new RegExp(`${rig.nodeName}\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.33\\.0-mini\\s+.*docker://\\d`));

    expect(await k('delete', 'pod', 'hello')).toMatchObject({ exitCode: 0, stdout: 'pod "hello" deleted\n' });
    expect((await k('get', 'pod', 'hello')).exitCode).toBe(1);
    await waitFor(async () => (rig.dockerContainers().some((n) => n.includes('_hello_')) ? undefined : true), { timeoutMs: 30_000, intervalMs: 300, message: 'containers of hello still there' });
  });

  it('apply twice is unchanged; a changed command is refused as on a cluster; a changed image restarts the container in place', async () => {
    const file = join(files, 'again.yaml');
    writeFileSync(file, manifest('again', 'one'));
    expect((await k('apply', '-f', file)).stdout).toBe('pod/again created\n');
    const first = await waitRunning('again');
    expect((await k('apply', '-f', file)).stdout).toBe('pod/again unchanged\n');
    writeFileSync(file, manifest('again', 'two'));
    const refused = await k('apply', '-f', file);
    expect({ code: refused.exitCode, forbidden: refused.stderr.includes('Forbidden: pod updates may not change fields other than') }).toEqual({ code: 1, forbidden: true });
    writeFileSync(file, manifest('again', 'one').replace('image: busybox', 'image: busybox:latest'));
    expect((await k('apply', '-f', file)).stdout).toBe('pod/again configured\n');
    const second = await waitFor(async () => {
      const p = await getPod('again');
      const c = p?.status?.containerStatuses?.[0];
      return c?.restartCount === 1 && c.state?.running ? p : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500, message: 'container of again not restarted with the new image' });
    expect({ uid: second.metadata?.uid, image: second.spec?.containers[0]?.image }).toEqual({ uid: first.metadata?.uid, image: 'busybox:latest' });
    expect((await k('delete', 'pod', 'again', '--force', '--grace-period=0')).stdout).toBe('pod "again" force deleted\n');
  });

  it('exec -it and run -it --rm work through a terminal', async () => {
    // python3's pty module is part of the standard library on every machine this project supports.
    expect((await k('run', 'term', '--image=busybox', '--image-pull-policy=IfNotPresent', '--', 'sleep', '3600')).exitCode).toBe(0);
    await waitRunning('term');
    const it1 = await inTerminal(['exec', '-it', 'term', '--', 'sh'], ['echo typed-$((1+2))\r', 'exit 4\r'], 2);
    expect(it1.output).toContain('typed-3');
    expect(it1.output).toContain('command terminated with exit code 4');
    expect(it1.exitCode).toBe(4);
    const rit = await inTerminal(['run', 'rit', '-it', '--rm', '--image=busybox', '--image-pull-policy=IfNotPresent', '--restart=Never', '--', 'sh'], ['echo in-rit\r', 'exit 0\r'], 8);
    expect(rit.output).toContain("If you don't see a command prompt, try pressing enter.");
    expect(rit.output).toContain('in-rit');
    expect(rit.output).toContain('pod "rit" deleted');
    expect(rit.exitCode).toBe(0);
    expect((await k('delete', 'pod', 'term', '--grace-period=1')).exitCode).toBe(0);
  });

  it('API pods survive an agent restart with the same UID', async () => {
    expect((await k('run', 'keep', '--image=busybox', '--image-pull-policy=IfNotPresent', '--', 'sleep', '3600')).stdout).toBe('pod/keep created\n');
    const before = await waitRunning('keep');
    await rig.kubelet.stop();
    const rig2 = await startAgentRig({ rootDir: rig.rootDir, nodeName: rig.nodeName, staticPodPath: rig.dir });
    try {
      const after = await waitFor(async () => {
        const r = await kubectl(rig2.url, 'get', 'pod', 'keep', '-o', 'json');
        const p = r.exitCode === 0 ? (JSON.parse(r.stdout) as Pod) : undefined;
        return p?.status?.containerStatuses?.[0]?.state?.running ? p : undefined;
      }, { timeoutMs: 60_000, intervalMs: 500, message: 'keep not running after restart' });
      expect(after.metadata?.uid).toBe(before.metadata?.uid);
      expect(after.status?.containerStatuses?.[0]?.containerID).toBe(before.status?.containerStatuses?.[0]?.containerID);
      expect((await kubectl(rig2.url, 'delete', 'pod', 'keep', '--grace-period=1')).exitCode).toBe(0);
    } finally {
      await rig2.stop({ reset: false });
    }
  });
});
