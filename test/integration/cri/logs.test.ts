// Real Docker: ContainerLogs — order of stdout/stderr, tail, timestamps, since, limitBytes, tty logs, and a
// followed log that sees a new line and ends when the container exits.
import { beforeAll, describe, expect, it } from 'vitest';
import { isNotFound } from '../../../cri/errors.js';
import { readAll, waitFor } from '../../helpers/docker-rig.js';
import { containerConfig, runContainer, usePod, waitExited } from './fixtures.js';

const pod = usePod('logs');
let fixed: string;

beforeAll(async () => {
  // Pauses between writes: stdout and stderr are two pipes the engine reads apart, so only writes well
  // apart in time (also on a busy machine) have an order.
  fixed = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('fixed', ['sh', '-c', 'for i in 1 2 3; do echo "out $i"; sleep 0.25; echo "err $i" >&2; sleep 0.25; done']));
  await waitExited(pod.rt, fixed);
});

describe('containerLogs', () => {
  it('returns stdout and stderr interleaved in order', async () => {
    const text = await readAll(await pod.rt.containerLogs(fixed, {}));
    expect(text).toBe([1, 2, 3].map((i) => `out ${i}\nerr ${i}\n`).join(''));
  });

  it('tailLines keeps the last lines', async () => {
    expect(await readAll(await pod.rt.containerLogs(fixed, { tailLines: 3 }))).toBe('err 2\nout 3\nerr 3\n');
    expect(await readAll(await pod.rt.containerLogs(fixed, { tailLines: 0 }))).toBe('');
  });

  it('timestamps prefixes each line with an RFC3339Nano time and a space', async () => {
    const lines = (await readAll(await pod.rt.containerLogs(fixed, { timestamps: true, tailLines: 2 }))).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z (out|err) 3$/);
  });

  it('limitBytes cuts the stream', async () => {
    expect(await readAll(await pod.rt.containerLogs(fixed, { limitBytes: 8 }))).toBe('out 1\ner');
  });

  it('sinceTime drops older lines', async () => {
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('since', ['sh', '-c', 'echo early; sleep 1.2; echo late; sleep 60']));
    await waitFor(async () => (await readAll(await pod.rt.containerLogs(id, {}))).includes('late'), { timeoutMs: 10_000, message: 'no late line' });
    const stamped = (await readAll(await pod.rt.containerLogs(id, { timestamps: true }))).trimEnd().split('\n');
    const lateAt = Date.parse(stamped[1]!.split(' ')[0]!);
    expect(await readAll(await pod.rt.containerLogs(id, { sinceTime: lateAt - 200 }))).toBe('late\n');
    expect(await readAll(await pod.rt.containerLogs(id, { sinceTime: lateAt - 5000 }))).toBe('early\nlate\n');
    await pod.rt.removeContainer(id);
  });

  it('follow sees a line written after the call and ends when the container exits', async () => {
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('follow', ['sh', '-c', 'echo first; while [ ! -e /tmp/go ]; do sleep 0.05; done; sleep 0.3; echo second; exit 0']));
    const stream = await pod.rt.containerLogs(id, { follow: true });
    let seen = '';
    stream.on('data', (c: Buffer) => { seen += c.toString('utf8'); });
    const ended = new Promise<void>((r) => stream.once('end', () => r()));
    await waitFor(async () => seen.includes('first\n'), { timeoutMs: 10_000, message: () => `follow saw: ${JSON.stringify(seen)}` });
    // (The exit code of this exec is not asserted: the container ends right after it, and Docker may then
    // report the already finished exec as killed.)
    await pod.rt.execSync(id, ['touch', '/tmp/go'], 5000);
    await waitFor(async () => seen.includes('second\n'), { timeoutMs: 10_000, message: () => `follow saw: ${JSON.stringify(seen)}` });
    await ended;
    expect(seen).toBe('first\nsecond\n');
  });

  it('an aborted follow ends the stream', async () => {
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('endless', ['sh', '-c', 'while true; do echo tick; sleep 0.2; done']));
    const ac = new AbortController();
    const stream = await pod.rt.containerLogs(id, { follow: true }, ac.signal);
    const closed = new Promise<void>((r) => stream.once('close', () => r()));
    let seen = '';
    // Abort once the follow is live (the first tick arrived): the stream must then close by itself.
    stream.once('data', () => ac.abort());
    stream.on('data', (b: Buffer) => { seen += b.toString(); });
    stream.on('error', () => undefined);
    await closed;
    expect(seen).toMatch(/^tick\n/);
    expect(stream.destroyed).toBe(true);
    await pod.rt.removeContainer(id);
  });

  it('a tty container log is passed through raw', async () => {
    const id = await runContainer(pod.rt, pod.sandboxId, pod.sb, containerConfig('tty', ['sh', '-c', 'echo on-a-tty'], { tty: true }));
    await waitExited(pod.rt, id);
    expect(await readAll(await pod.rt.containerLogs(id, {}))).toBe('on-a-tty\r\n');
  });

  it('a missing container is NotFound', async () => {
    await expect(pod.rt.containerLogs('e'.repeat(64), {})).rejects.toSatisfy(isNotFound);
  });
});
