// agent/kubelet-server/logs.ts — GET /containerLogs/{namespace}/{pod}/{container}: the kubelet's log endpoint,
// which an API server forwards `pods/log` to. Query: follow, previous, sinceSeconds, sinceTime, timestamps,
// tailLines (and the legacy `tail`, `all` = everything), limitBytes.
//
// Picks the instance from PLEG's cache (the newest, or with `previous` the one before it) and streams the
// runtime's containerLogs as text/plain; a followed log ends when the container's log ends or the client goes
// away (or close() is called). Errors are the kubelet's plain-text answers. Never reads log files itself.
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { LogOptions } from '../../cri/api.js';
import { logInstance, podByName, specHasContainer } from './lookup.js';
import { flag, type KubeletPath } from './paths.js';
import { KubeletError } from './respond.js';
import type { KubeletStreamDeps } from './types.js';

export type LogsPath = Extract<KubeletPath, { kind: 'containerLogs' }>;

function intParam(url: URL, name: string, value = url.searchParams.get(name)): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new KubeletError(400, `invalid value for ${name}: "${value}" is not an integer`);
  return n;
}

/** The query as LogOptions; undecodable values are a 400, invalid ones a 422 (the kubelet's codes). */
export function logOptions(url: URL, now: number): LogOptions & { previous: boolean } {
  const tail = url.searchParams.get('tail');
  const tailLines = tail !== null && tail !== '' ? (tail === 'all' ? undefined : intParam(url, 'tail', tail)) : intParam(url, 'tailLines');
  const sinceSeconds = intParam(url, 'sinceSeconds');
  const limitBytes = intParam(url, 'limitBytes');
  const sinceTimeParam = url.searchParams.get('sinceTime') || undefined;
  let sinceTime = sinceTimeParam === undefined ? undefined : Date.parse(sinceTimeParam);
  if (Number.isNaN(sinceTime)) throw new KubeletError(400, `sinceTime: "${sinceTimeParam}" is not an RFC 3339 time`);
  const invalid = (msg: string) => new KubeletError(422, msg);
  if (tailLines !== undefined && tailLines < 0) throw invalid('tailLines: Invalid value: must be greater than or equal to 0');
  if (sinceSeconds !== undefined && sinceSeconds < 1) throw invalid('sinceSeconds: Invalid value: must be greater than 0');
  if (sinceSeconds !== undefined && sinceTime !== undefined) throw invalid('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (limitBytes !== undefined && limitBytes < 1) throw invalid('limitBytes: Invalid value: must be greater than 0');
  if (sinceSeconds !== undefined) sinceTime = now - sinceSeconds * 1000;
  const previous = flag(url, 'previous');
  return {
    previous,
    follow: flag(url, 'follow') && !previous,
    timestamps: flag(url, 'timestamps'),
    ...(tailLines !== undefined ? { tailLines } : {}),
    ...(sinceTime !== undefined ? { sinceTime } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
  };
}

/** Streams one container's log; throws KubeletError before anything is written. */
export async function serveContainerLogs(deps: KubeletStreamDeps, res: ServerResponse, path: LogsPath, url: URL, abort: AbortController): Promise<void> {
  const { previous, ...opts } = logOptions(url, deps.now());
  const pod = podByName(deps, path.namespace, path.pod);
  if (!pod) throw new KubeletError(404, `pod "${path.pod}" does not exist`);
  if (!specHasContainer(pod, path.container)) throw new KubeletError(404, `container "${path.container}" not found in pod "${path.pod}"`);
  const instance = logInstance(deps, pod, path.container, previous);
  // The response's close is the client leaving (the request's close only follows its body).
  res.once('close', () => abort.abort());
  const stream = await deps.runtime.containerLogs(instance.id, opts, abort.signal);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  try {
    await pipeline(stream, res, { signal: abort.signal });
  } catch {
    // The client went away, close() was called, or the runtime's stream broke mid-way: the response is cut.
    res.destroy();
  } finally {
    stream.destroy();
  }
}
