// cri/docker/demux.ts — Docker's multiplexed stream format (8-byte header: stream type, 3 zero bytes,
// big-endian payload length) for non-tty exec, attach and logs.
//
// Owns: frame parsing across chunk boundaries, and the two shapes callers need: split into stdout/stderr
// streams, or payloads merged in arrival order. Called by exec.ts and logs.ts. Never interprets the bytes.
import { PassThrough, Transform, type Readable } from 'node:stream';

const HEADER = 8;

/** Incremental frame parser: feed chunks, get (streamType, payload) callbacks in order. */
export class FrameParser {
  #buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer, onFrame: (stream: number, payload: Buffer) => void): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    while (this.#buf.length >= HEADER) {
      const type = this.#buf.readUInt8(0);
      const len = this.#buf.readUInt32BE(4);
      if (this.#buf.length < HEADER + len) break;
      onFrame(type, this.#buf.subarray(HEADER, HEADER + len));
      this.#buf = this.#buf.subarray(HEADER + len);
    }
  }
}

/** A transform that drops the frame headers and passes every payload on, stdout and stderr interleaved. */
export function mergedPayloads(): Transform {
  const parser = new FrameParser();
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      parser.push(chunk, (_type, payload) => this.push(payload));
      done();
    },
  });
}

/**
 * Splits a multiplexed stream into stdout and stderr. Both end with the source, also when it fails: a
 * consumer without an 'error' listener must not crash the process; the failure shows as a short output and
 * in the exit code.
 */
export function splitStreams(source: Readable): { stdout: PassThrough; stderr: PassThrough } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const parser = new FrameParser();
  source.on('data', (chunk: Buffer) => parser.push(chunk, (type, payload) => (type === 2 ? stderr : stdout).write(payload)));
  let finished = false; // 'end' and 'close' both come: ending twice would build an error each time
  const finish = () => { if (finished) return; finished = true; stdout.end(); stderr.end(); };
  source.once('end', finish);
  source.once('close', finish);
  source.on('error', finish);
  return { stdout, stderr };
}
