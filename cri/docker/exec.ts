// cri/docker/exec.ts — ExecSync, streaming Exec and Attach on Docker exec instances / the attach endpoint.
//
// Owns: output collection and demuxing, the exit code (from exec inspect), the ExecSync deadline
// (DeadlineExceeded, `command "<cmd>" timed out`), and StreamSession plumbing (stdin half-close, tty, resize).
// Called by docker-runtime.ts (probes and hooks use execSync through the agent). Never kills the process of
// a timed-out exec: Docker has no call for it, as with cri-dockerd, the process keeps running.
import type { Duplex, Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import type { ExecRequest, ExecSyncResult, StreamSession } from '../api.js';
import { CriError } from '../errors.js';
import type { DockerContext } from './context.js';
import { docker, toCriError } from './map-errors.js';
import { splitStreams } from './demux.js';

/** Output kept per stream by ExecSync; more is dropped (probe outputs are small). */
const MAX_OUTPUT = 16 * 1024 * 1024;

const short = (id: string) => id.slice(0, 12);

/** Polls exec inspect until the process has ended; its exit code (-1 if Docker never says). */
async function execExitCode(exec: Dockerode.Exec, signal?: AbortSignal): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const info = await exec.inspect({ abortSignal: signal });
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  return -1;
}

/** A sink that keeps the first MAX_OUTPUT bytes written to it. */
function collector(): { text: () => string; sink: PassThrough } {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => {
    if (size >= MAX_OUTPUT) return;
    chunks.push(c.subarray(0, MAX_OUTPUT - size));
    size += Math.min(c.length, MAX_OUTPUT - size);
  });
  return { text: () => Buffer.concat(chunks).toString('utf8'), sink };
}

export async function execSync(
  ctx: DockerContext, id: string, cmd: readonly string[], timeoutMs: number, signal?: AbortSignal,
): Promise<ExecSyncResult> {
  const op = { op: `exec in container ${short(id)}` };
  const command = cmd.join(' ');
  const timer = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  const all = [signal, timer].filter((s): s is AbortSignal => !!s);
  const abort = all.length ? AbortSignal.any(all) : undefined;
  const timedOut = () => new CriError('DeadlineExceeded', `command "${command}" timed out`);
  try {
    const exec = await ctx.docker.getContainer(id).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true, abortSignal: abort });
    const stream = (await exec.start({ Detach: false, Tty: false, abortSignal: abort })) as unknown as Readable;
    const { stdout, stderr } = splitStreams(stream);
    const out = collector();
    const err = collector();
    stdout.pipe(out.sink);
    stderr.pipe(err.sink);
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => { stream.destroy(); reject(timer?.aborted ? timedOut() : toCriError(abort?.reason ?? new Error('aborted'), op)); };
      if (abort?.aborted) return onAbort();
      abort?.addEventListener('abort', onAbort, { once: true });
      let ended = 0;
      const done = () => { if (++ended === 2) { abort?.removeEventListener('abort', onAbort); resolve(); } };
      out.sink.once('end', done);
      err.sink.once('end', done);
      stream.on('error', (e: unknown) => { abort?.removeEventListener('abort', onAbort); reject(e); });
    });
    const exitCode = await execExitCode(exec, abort);
    return { exitCode, stdout: out.text(), stderr: err.text() };
  } catch (err) {
    if (timer?.aborted) throw timedOut();
    throw toCriError(err, op);
  }
}

/** Wraps a hijacked socket into a StreamSession; streams not asked for are null (stderr too with a tty). */
function session(sock: Duplex, tty: boolean, want: Omit<ExecRequest, 'cmd' | 'tty'>, resize: StreamSession['resize'], exitCode: () => Promise<number>): StreamSession {
  sock.on('error', () => sock.destroy()); // shows as the end of the streams and in the exit code
  let stdin: PassThrough | null = null;
  if (want.stdin) {
    stdin = new PassThrough();
    stdin.pipe(sock); // stdin.end() half-closes the socket: the process sees EOF
  }
  let stdout: PassThrough;
  let stderr: PassThrough | null = null;
  if (tty) {
    stdout = new PassThrough();
    sock.pipe(stdout);
    sock.once('close', () => stdout.end());
  } else {
    ({ stdout, stderr } = splitStreams(sock));
  }
  const closed = new Promise<void>((resolve) => { sock.once('close', () => resolve()); sock.once('end', () => resolve()); });
  return {
    stdin,
    stdout: want.stdout ? stdout : null,
    stderr: want.stderr ? stderr : null,
    resize,
    exitCode: closed.then(exitCode, () => -1).catch(() => -1),
    close() { sock.destroy(); },
  };
}

export async function exec(ctx: DockerContext, id: string, req: ExecRequest, signal?: AbortSignal): Promise<StreamSession> {
  const op = { op: `exec in container ${short(id)}` };
  const execInst = await docker(op, () => ctx.docker.getContainer(id).exec({
    Cmd: [...req.cmd], AttachStdin: req.stdin, AttachStdout: req.stdout, AttachStderr: req.stderr, Tty: req.tty, abortSignal: signal,
  }));
  const sock = (await docker(op, () => execInst.start({ hijack: true, stdin: req.stdin, Detach: false, Tty: req.tty, abortSignal: signal }))) as unknown as Duplex;
  return session(sock, req.tty, req,
    async (w, h) => { await docker(op, () => execInst.resize({ w, h })); },
    () => execExitCode(execInst));
}

export async function attach(ctx: DockerContext, id: string, req: Omit<ExecRequest, 'cmd'>, signal?: AbortSignal): Promise<StreamSession> {
  const op = { op: `attach to container ${short(id)}` };
  const container = ctx.docker.getContainer(id);
  const info = await docker(op, () => container.inspect({ abortSignal: signal }));
  const tty = info.Config?.Tty ?? req.tty;
  const sock = (await docker(op, () => container.attach({
    stream: true, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr, hijack: true, abortSignal: signal,
  } as Dockerode.ContainerAttachOptions))) as unknown as Duplex;
  return session(sock, tty, req,
    async (w, h) => { await docker(op, () => container.resize({ w, h })); },
    async () => {
      const after = await container.inspect();
      return after.State?.Running ? -1 : after.State?.ExitCode ?? -1;
    });
}
