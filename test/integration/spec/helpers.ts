// Helpers for the pod-spec tests: look inside running containers with `docker exec`, build small pods.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Pod } from '../../../agent/api/v1.js';
import { containerStatus, type AgentRig } from '../../helpers/agent-rig.js';
import { waitFor } from '../../helpers/docker-rig.js';

const run = promisify(execFile);

export interface ExecResult { code: number; stdout: string; stderr: string }

/** Runs `cmd` in a container (by id) and returns its exit code and output; never throws on a non-zero exit. */
export async function dockerExec(id: string, cmd: readonly string[]): Promise<ExecResult> {
  try {
    const r = await run('docker', ['exec', id, ...cmd], { encoding: 'utf8', timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Docker CLI, output as text (throws on failure). */
export async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args, { encoding: 'utf8', timeout: 60_000 })).stdout;
}

/** The runtime id of a container of the pod (from /pods). */
export function containerId(p: Pod, name: string): string {
  const id = containerStatus(p, name)?.containerID ?? '';
  return id.replace(/^docker:\/\//, '');
}

/** Waits until the container runs, then returns its id. */
export async function runningContainer(rig: AgentRig, pod: string, container: string, timeoutMs = 90_000): Promise<string> {
  const p = await rig.waitForPod(pod, (x) => !!containerStatus(x, container)?.state?.running, timeoutMs, `${container} running`);
  return containerId(p, container);
}

/** stdout of `cmd` in a running container of the pod (exit code must be 0). */
export async function execIn(rig: AgentRig, pod: string, container: string, cmd: readonly string[]): Promise<string> {
  const id = await runningContainer(rig, pod, container);
  const r = await dockerExec(id, cmd);
  if (r.code !== 0) throw new Error(`${cmd.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** Polls `fn` (an exec) until its output satisfies `pred`. */
export async function eventually(fn: () => Promise<string>, pred: (s: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  let last = '';
  return waitFor(async () => { last = await fn(); return pred(last) ? last : undefined; }, { timeoutMs, intervalMs: 200, message: () => `${what}; last output: ${JSON.stringify(last)}` });
}

/** Indents a YAML block by `n` spaces (for splicing into a pod template). */
export const indent = (text: string, n: number): string => text.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

/**
 * A one-container busybox pod. `container` is YAML for extra container fields (2-space indented relative to
 * the container), `spec` extra pod-spec fields, `docs` extra documents before the pod.
 */
export function pod(name: string, o: { cmd?: string; container?: string; spec?: string; docs?: string; labels?: string } = {}): string {
  const cmd = o.cmd ?? 'sleep 3600';
  return `${o.docs ? `${o.docs}\n---\n` : ''}apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${o.labels ? indent(o.labels, 2) + '\n' : ''}spec:
  terminationGracePeriodSeconds: 1
${o.spec ? indent(o.spec, 2) + '\n' : ''}  containers:
  - name: main
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', ${JSON.stringify(cmd)}]
${o.container ? indent(o.container, 4) + '\n' : ''}`;
}

/** A local image made from busybox with Dockerfile-style `changes` (no registry, no build context). */
export async function makeImage(tag: string, changes: readonly string[]): Promise<string> {
  const id = (await docker('create', '--label', `io.mini-kubelet.test-run=${process.env.MK_TEST_RUN ?? 'unset'}`, 'busybox:latest')).trim();
  try {
    await docker('commit', ...changes.flatMap((c) => ['--change', c]), id, tag);
  } finally {
    await docker('rm', '-f', id).catch(() => undefined);
  }
  return tag;
}

export async function removeImage(tag: string): Promise<void> {
  await docker('rmi', '-f', tag).catch(() => undefined);
}

/** A tag unique to this test run. */
export const runTag = (name: string): string => `mini-kubelet-test/${name}:${(process.env.MK_TEST_RUN ?? 'x').toLowerCase().replace(/[^a-z0-9_.-]/g, '')}`;
