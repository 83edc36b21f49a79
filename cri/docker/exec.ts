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
import { FrameParser, splitStreams } from './demux.js';

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

/** Keeps the first MAX_OUTPUT bytes of one output stream. */
class Capped {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  add(b: Buffer): void {
    if (this.#size >= MAX_OUTPUT) return;
    const part = b.subarray(0, MAX_OUTPUT - this.#size);
    this.#chunks.push(part);
    this.#size += part.length;
  }
  text(): string { return Buffer.concat(this.#chunks, this.#size).toString('utf8'); }
}

/**
 * Runs a command to completion and returns its exit code and output. Lean on purpose: a node runs tens of
 * exec probes a second, so the output is demuxed straight from the response (no intermediate streams) and one
 * timer carries the deadline.
 */
export async function execSync(
  ctx: DockerContext, id: string, cmd: readonly string[], timeoutMs: number, signal?: AbortSignal,
): Promise<ExecSyncResult> {
  const op = { op: `exec in container ${short(id)}` };
  const abort = new AbortController();
  let timedOut = false;
  const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; abort.abort(); }, timeoutMs) : undefined;
  const onCallerAbort = () => abort.abort(signal?.reason);
  if (signal?.aborted) onCallerAbort();
  else signal?.addEventListener('abort', onCallerAbort, { once: true });
  const deadline = () => new CriError('DeadlineExceeded', `command "${cmd.join(' ')}" timed out`);
  try {
    const exec = await ctx.docker.getContainer(id).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true, abortSignal: abort.signal });
    const stream = (await exec.start({ Detach: false, Tty: false, abortSignal: abort.signal })) as unknown as Readable;
    const out = new Capped();
    const err = new Capped();
    const parser = new FrameParser();
    await new Promise<void>((resolve, reject) => {
      const stop = () => { stream.destroy(); reject(timedOut ? deadline() : toCriError(abort.signal.reason ?? new Error('aborted'), op)); };
      if (abort.signal.aborted) return stop();
      abort.signal.addEventListener('abort', stop, { once: true });
      const end = () => { abort.signal.removeEventListener('abort', stop); resolve(); };
      stream.on('data', (chunk: Buffer) => parser.push(chunk, (type, payload) => (type === 2 ? err : out).add(payload)));
      stream.once('end', end);
      stream.once('close', end);
      // A broken stream ends the output; the exit code from the inspect says what happened.
      stream.once('error', end);
    });
    const exitCode = await execExitCode(exec, abort.signal);
    return { exitCode, stdout: out.text(), stderr: err.text() };
  } catch (err) {
    if (timedOut) throw deadline();
    throw toCriError(err, op);
  } finally {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onCallerAbort);
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
