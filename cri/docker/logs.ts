// cri/docker/logs.ts — a container's log as one ordered byte stream (ContainerLogs / `kubectl logs`).
//
// Owns: Docker's logs endpoint options (follow, tail, since, timestamps), demuxing of non-tty logs with
// stdout and stderr kept in their original order, and the byte limit. Called by docker-runtime.ts. Never
// reads Docker's json log files directly and never buffers a followed log: bytes flow as they come.
import { PassThrough, Transform, type Readable } from 'node:stream';
import type { LogOptions } from '../api.js';
import type { DockerContext } from './context.js';
import { docker, toCriError } from './map-errors.js';
import { mergedPayloads } from './demux.js';

/** Passes at most `limit` bytes, then ends (and lets the caller tear the source down). */
function limitBytes(limit: number, onLimit: () => void): Transform {
  let left = limit;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (left <= 0) return done();
      const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
      left -= part.length;
      this.push(part);
      if (left <= 0) { this.push(null); onLimit(); }
      done();
    },
  });
}

/** Docker's `since`: seconds with a fractional part, as the docker CLI sends it. */
function sinceParam(ms: number): string {
  return (ms / 1000).toFixed(9);
}

export async function containerLogs(ctx: DockerContext, id: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable> {
  const op = { op: `read logs of container ${id.slice(0, 12)}` };
  const info = await docker(op, () => ctx.docker.getContainer(id).inspect({ abortSignal: signal }));
  const query: Record<string, string | number | boolean> = {
    stdout: true,
    stderr: true,
    follow: !!opts.follow,
    timestamps: !!opts.timestamps,
    tail: opts.tailLines !== undefined && opts.tailLines >= 0 ? opts.tailLines : 'all',
  };
  if (opts.sinceTime && opts.sinceTime > 0) query.since = sinceParam(opts.sinceTime);
  // Always a stream (dockerode would buffer a non-follow log and try to parse it as JSON).
  const source = await docker(op, () => new Promise<Readable>((resolve, reject) => {
    ctx.docker.modem.dial({
      path: `/containers/${encodeURIComponent(info.Id)}/logs?`,
      method: 'GET',
      options: query,
      isStream: true,
      abortSignal: signal,
      statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
    }, (err: unknown, stream: unknown) => (err ? reject(err) : resolve(stream as Readable)));
  }));
  let out: Readable = source.pipe(info.Config?.Tty ? new PassThrough() : mergedPayloads());
  if (opts.limitBytes !== undefined && opts.limitBytes >= 0) out = out.pipe(limitBytes(opts.limitBytes, () => source.destroy()));
  // The caller's abort ends the stream quietly; a broken connection surfaces as an error on it.
  source.on('error', (err) => { if (signal?.aborted) out.destroy(); else out.destroy(toCriError(err, op)); });
  out.once('close', () => source.destroy());
  return out;
}
