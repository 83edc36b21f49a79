// Real Docker: ExecSync (exit code, stdout/stderr apart, deadline, abort), streaming exec with stdin and
// tty, and attach.
import { beforeAll, describe, expect, it } from 'vitest';
import { CriError, isDeadlineExceeded, isNotFound } from '../../../cri/errors.js';
import { readAll, waitFor } from '../../helpers/docker-rig.js';
import { containerConfig, runContainer, usePod, waitExited } from './fixtures.js';

const pod = usePod('execs');
let box: string;

beforeAll(async () => {
  box = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('box', ['sleep', '600']));
});

describe('execSync', () => {
  it('returns the exit code and stdout/stderr separately', async () => {
    const r = await pod.rt.execSync(box, ['sh', '-c', 'echo out; echo err >&2; echo more; exit 4'], 5000);
    expect(r).toEqual({ exitCode: 4, stdout: 'out\nmore\n', stderr: 'err\n' });
    expect(await pod.rt.execSync(box, ['true'], 5000)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('keeps large outputs whole', async () => {
    const r = await pod.rt.execSync(box, ['sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" x'], 10_000);
    expect(r.stdout.length).toBe(300_000);
  });

  it('a command that outlives the timeout is DeadlineExceeded with the kubelet message', async () => {
    const started = Date.now();
    const err = await pod.rt.execSync(box, ['sleep', '10'], 500).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(9000);
    expect(isDeadlineExceeded(err)).toBe(true);
    expect((err as CriError).message).toBe('command "sleep 10" timed out');
  });

  it('an abort signal ends the call', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(pod.rt.execSync(box, ['sleep', '10'], 0, ac.signal)).rejects.toBeInstanceOf(CriError);
  });

  it('exec in a missing container is NotFound', async () => {
    await expect(pod.rt.execSync('f'.repeat(64), ['true'], 1000)).rejects.toSatisfy(isNotFound);
  });
});

describe('streaming exec and attach', () => {
  it('exec with stdin: bytes written reach the process, EOF ends it, exit code arrives', async () => {
    const s = await pod.rt.exec(box, { cmd: ['sh', '-c', 'tr a-z A-Z; echo done >&2; exit 5'], tty: false, stdin: true, stdout: true, stderr: true });
    const out = readAll(s.stdout!);
    const err = readAll(s.stderr!);
    s.stdin!.write('hello ');
    s.stdin!.end('world\n');
    expect(await out).toBe('HELLO WORLD\n');
    expect(await err).toBe('done\n');
    expect(await s.exitCode).toBe(5);
  });

  it('exec with a tty: one output stream, resize works', async () => {
    const s = await pod.rt.exec(box, { cmd: ['sh', '-c', 'sleep 0.3; stty size; exit 0'], tty: true, stdin: false, stdout: true, stderr: true });
    expect(s.stderr).toBeNull();
    await s.resize(100, 40);
    expect((await readAll(s.stdout!)).trim()).toBe('40 100');
    expect(await s.exitCode).toBe(0);
  });

  it('attach to a container reading stdin', async () => {
    const id = await pod.rt.createContainer(pod.sandboxId, containerConfig('cat', ['sh', '-c', 'read line; echo "got $line"; exit 2'], { stdin: true, stdinOnce: true }), pod.sb);
    await pod.rt.startContainer(id);
    const s = await pod.rt.attach(id, { tty: false, stdin: true, stdout: true, stderr: true });
    const out = readAll(s.stdout!);
    s.stdin!.write('ping\n');
    expect(await waitFor(async () => ((await pod.rt.containerStatus(id)).state === 'CONTAINER_EXITED' ? true : undefined), { timeoutMs: 10_000, message: 'attached container did not exit' })).toBe(true);
    s.close();
    expect(await out).toContain('got ping');
    expect(await s.exitCode).toBe(2);
    expect((await waitExited(pod.rt, id)).exitCode).toBe(2);
  });
});
