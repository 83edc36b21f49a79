// agent/kuberuntime/termination-message.ts — the message an exited container leaves behind, as the kubelet reads it.
//
// Owns: the tail of the termination-message file (its last 4096 bytes, one positional read after an fstat, never
// the whole file: the container can make it any size, sparse or not, also past 2 GiB), and the
// FallbackToLogsOnError rule (exit ≠ 0, reason ≠ ContainerCannotRun, file empty or missing ⇒ the last 80 log
// lines, at most their last 2048 bytes). Errors become the kubelet's message text and are logged. All reads are
// asynchronous (libuv's thread pool), so a slow or huge file never holds the event loop.
// The pod-wide 12 KiB budget is applied later, by the status manager (agent/status/finalize.ts).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ContainerStatus, Runtime } from '../../cri/api.js';
import { errorLine } from '../../cri/errors.js';
import { A_TERM_MSG_HOST_PATH, A_TERM_MSG_POLICY } from './labels.js';

/** MaxContainerTerminationMessageLength: bytes kept from the end of the file. */
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;
/** MaxContainerTerminationMessageLogLength / …LogLines: the log fallback's limits. */
export const MAX_TERMINATION_MESSAGE_LOG_BYTES = 2048;
export const MAX_TERMINATION_MESSAGE_LOG_LINES = 80;

export interface TerminationMessageDeps {
  readonly runtime: Pick<Runtime, 'containerLogs'>;
  readonly log: { warn(o: object, msg: string): void };
}

/**
 * The last ≤ `max` bytes of a regular file: fstat, then one read at size − max. Never reads more than `max`
 * bytes whatever the file's size. O_NONBLOCK: opening something that is not a regular file never hangs.
 */
export async function readFileTail(path: string, max: number): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${path}: not a regular file`);
    const len = Math.min(st.size, max);
    const buf = Buffer.alloc(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await fh.read(buf, got, len - got, st.size - len + got);
      if (bytesRead === 0) break; // truncated meanwhile
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/** The file's part: `fallback` says whether the log may be used instead (missing or empty file). */
async function fromFile(path: string | undefined, mayFallback: boolean, d: TerminationMessageDeps): Promise<{ text: string; fallback: boolean }> {
  if (!path) return { text: '', fallback: mayFallback };
  try {
    const data = await readFileTail(path, MAX_TERMINATION_MESSAGE_BYTES);
    return { text: data.toString('utf8'), fallback: mayFallback && data.length === 0 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', fallback: mayFallback };
    d.log.warn({ path, err: errorLine(err) }, 'Cannot read the termination message file');
    return { text: `Error on reading termination log ${path}: ${errorLine(err)}`, fallback: false };
  }
}

/** The last 80 lines of the container's log, cut to their last 2048 bytes. */
async function fromLogs(id: string, d: TerminationMessageDeps): Promise<string> {
  try {
    const stream = await d.runtime.containerLogs(id, { tailLines: MAX_TERMINATION_MESSAGE_LOG_LINES });
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
    const buf = Buffer.concat(chunks);
    return buf.subarray(Math.max(0, buf.length - MAX_TERMINATION_MESSAGE_LOG_BYTES)).toString('utf8');
  } catch (err) {
    d.log.warn({ id, err: errorLine(err) }, 'Cannot read the container log for its termination message');
    return `Error on reading termination message from logs: ${errorLine(err)}`;
  }
}

/** The termination message of an exited container ('' when it left none). */
export async function terminationMessage(s: ContainerStatus, d: TerminationMessageDeps): Promise<string> {
  // A container that could not even start has no log to fall back to.
  const mayFallback = s.annotations[A_TERM_MSG_POLICY] === 'FallbackToLogsOnError' && s.exitCode !== 0 && s.reason !== 'ContainerCannotRun';
  const file = await fromFile(s.annotations[A_TERM_MSG_HOST_PATH], mayFallback, d);
  return file.fallback ? fromLogs(s.id, d) : file.text;
}
