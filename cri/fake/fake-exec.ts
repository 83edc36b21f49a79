// cri/fake/fake-exec.ts — the stream calls of the fake runtime: ExecSync and Exec answered by the test's
// exec handler, Attach to a container's output, and its log (tail, since, timestamps, limit, follow).
//
// Owns: the exec deadline on the clock (DeadlineExceeded with the kubelet's `command "<cmd>" timed out`, as
// cri/docker), exec only into a running container (else Unknown, as Docker's 409), StreamSession plumbing.
// Called by fake-runtime.ts after it recorded the call. Never runs a command: the handler answers.
import { PassThrough, Readable } from 'node:stream';
import type { ExecRequest, ExecSyncResult, LogOptions, StreamSession } from '../api.js';
import { rfc3339Nano, type FakeWorld, type Follower } from './fake-world.js';

export type ExecHandler = (containerId: string, cmd: readonly string[]) => ExecSyncResult | Promise<ExecSyncResult>;

function session(stdin: PassThrough | null, stdout: Readable | null, stderr: Readable | null, exitCode: Promise<number>, close: () => void): StreamSession {
  return { stdin, stdout, stderr, exitCode, resize: async () => undefined, close: () => { stdin?.end(); close(); } };
}

export function execSync(w: FakeWorld, handler: ExecHandler, id: string, cmd: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ExecSyncResult> {
  w.running(id);
  return w.race(Promise.resolve().then(() => handler(id, cmd)), timeoutMs, signal, 'execSync', `command "${cmd.join(' ')}" timed out`);
}

export function exec(w: FakeWorld, handler: ExecHandler, id: string, req: ExecRequest): StreamSession {
  w.running(id);
  const stdout = req.stdout || req.tty ? new PassThrough() : null;
  const stderr = req.stderr && !req.tty ? new PassThrough() : null;
  const exitCode = Promise.resolve().then(() => handler(id, req.cmd)).then((r) => {
    stdout?.end(req.tty ? r.stdout + r.stderr : r.stdout);
    stderr?.end(r.stderr);
    return r.exitCode;
  }, (err: unknown) => { stdout?.end(); stderr?.end(); throw err; });
  exitCode.catch(() => undefined);
  return session(req.stdin ? new PassThrough() : null, stdout, stderr, exitCode, () => { stdout?.end(); stderr?.end(); });
}

/** Output written from now on, until the container exits; exitCode is its exit code (-1 when never run). */
export function attach(w: FakeWorld, id: string, req: Omit<ExecRequest, 'cmd'>): StreamSession {
  const rec = w.container(id);
  const out = new PassThrough();
  const follower: Follower = { out, timestamps: false };
  let closed!: (code: number) => void;
  const exitCode = new Promise<number>((r) => { closed = r; });
  if (rec.state === 'CONTAINER_RUNNING') {
    rec.followers.add(follower);
    rec.waiters.push(() => closed(rec.exitCode));
  } else {
    out.end();
    closed(rec.state === 'CONTAINER_EXITED' ? rec.exitCode : -1);
  }
  const close = () => { rec.followers.delete(follower); out.end(); closed(-1); };
  return session(req.stdin ? new PassThrough() : null, req.stdout || req.tty ? out : null, req.stderr && !req.tty ? Readable.from([]) : null, exitCode, close);
}

export function containerLogs(w: FakeWorld, id: string, opts: LogOptions, signal?: AbortSignal): Readable {
  const rec = w.container(id);
  let lines = rec.log.filter((l) => !opts.sinceTime || l.time >= opts.sinceTime);
  if (opts.tailLines !== undefined && opts.tailLines >= 0) lines = lines.slice(Math.max(0, lines.length - opts.tailLines));
  let text = Buffer.from(lines.map((l) => (opts.timestamps ? `${rfc3339Nano(l.time)} ${l.text}` : l.text)).join(''));
  if (opts.limitBytes !== undefined && opts.limitBytes >= 0) text = text.subarray(0, opts.limitBytes);
  if (!opts.follow || rec.state !== 'CONTAINER_RUNNING') return Readable.from(text.length ? [text] : []);
  const out = new PassThrough();
  const follower = { out, timestamps: opts.timestamps ?? false };
  out.write(text);
  rec.followers.add(follower);
  signal?.addEventListener('abort', () => { rec.followers.delete(follower); out.end(); }, { once: true });
  return out;
}
