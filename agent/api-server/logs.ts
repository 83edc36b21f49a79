// agent/api-server/logs.ts — pods/log: `kubectl logs POD [-c C] [-f] [--previous] [--tail] [--timestamps]
// [--since|--since-time] [--limit-bytes]`.
//
// Called through the route registered by index.ts. Picks the container instance from the PodCache (the
// newest, or with `previous` the one before it) and streams the runtime's containerLogs as text/plain;
// a followed log ends when the container's log ends or the client goes away. Never reads log files itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { LogOptions } from '../../cri/api.js';
import type { Pod } from '../api/v1.js';
import { findContainers, type RuntimeContainerStatus } from '../kuberuntime/types.js';
import { ApiError, badRequest, flag, intParam, notFound } from './request.js';
import { namespaceParam } from './pods.js';
import type { ApiContext, RouteDef } from './types.js';

/** The container a request names, or the pod's only container; errors as the API server words them. */
export function pickContainer(pod: Pod, requested: string | null): string {
  const name = pod.metadata?.name ?? '';
  const main = (pod.spec?.containers ?? []).map((c) => c.name);
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const eph = (pod.spec?.ephemeralContainers ?? []).map((c) => c.name);
  if (!requested) {
    if (main.length === 1) return main[0]!;
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]${init.length ? ` or one of the init containers: [${init.join(' ')}]` : ''}`);
  }
  if (![...main, ...init, ...eph].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** The runtime instance to read: the newest, or the one before it for `previous`. */
export function pickInstance(ctx: ApiContext, pod: Pod, container: string, previous: boolean): RuntimeContainerStatus {
  const name = pod.metadata?.name ?? '';
  const cached = ctx.deps.cache.get(pod.metadata?.uid ?? '');
  const instances = cached ? findContainers(cached, container) : [];
  if (previous) {
    const prev = instances[1];
    if (!prev) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    return prev;
  }
  const cur = instances[0];
  if (!cur) {
    const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const reason = all.find((s) => s.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`);
  }
  return cur;
}

function logOptions(ctx: ApiContext, url: URL, previous: boolean): LogOptions {
  const tailLines = intParam(url, 'tailLines');
  const sinceSeconds = intParam(url, 'sinceSeconds');
  const limitBytes = intParam(url, 'limitBytes');
  const sinceTimeParam = url.searchParams.get('sinceTime');
  if (sinceSeconds !== undefined && sinceSeconds < 1) throw new ApiError(422, 'Invalid', 'sinceSeconds: Invalid value: must be greater than 0');
  if (sinceSeconds !== undefined && sinceTimeParam) throw new ApiError(422, 'Invalid', 'at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (limitBytes !== undefined && limitBytes < 1) throw new ApiError(422, 'Invalid', 'limitBytes: Invalid value: must be greater than 0');
  let sinceTime: number | undefined;
  if (sinceSeconds !== undefined) sinceTime = ctx.deps.now() - sinceSeconds * 1000;
  if (sinceTimeParam) {
    sinceTime = Date.parse(sinceTimeParam);
    if (Number.isNaN(sinceTime)) throw badRequest(`sinceTime: "${sinceTimeParam}" is not an RFC 3339 time`);
  }
  return {
    follow: flag(url, 'follow') && !previous,
    timestamps: flag(url, 'timestamps'),
    ...(tailLines !== undefined && tailLines >= 0 ? { tailLines } : {}),
    ...(sinceTime !== undefined ? { sinceTime } : {}),
    ...(limitBytes !== undefined ? { limitBytes } : {}),
  };
}

async function podLog(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): Promise<void> {
  const ns = namespaceParam(params);
  const pod = ctx.feed.byName(ns, params.name!);
  if (!pod) throw notFound('pods', params.name!);
  const container = pickContainer(pod, url.searchParams.get('container'));
  const previous = flag(url, 'previous');
  const instance = pickInstance(ctx, pod, container, previous);
  const opts = logOptions(ctx, url, previous);
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  req.once('close', stop);
  res.once('close', stop);
  const stream = await ctx.deps.runtime.containerLogs(instance.id, opts, abort.signal);
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  try {
    await pipeline(stream, res);
  } catch {
    // The client went away or the runtime's stream broke mid-way: the response is already cut.
    res.destroy();
  } finally {
    stream.destroy();
  }
}

export function logRoutes(ctx: ApiContext): RouteDef[] {
  return [{ method: 'GET', path: '/api/v1/namespaces/:namespace/pods/:name/log', handler: (req, res, url, p) => podLog(ctx, req, res, url, p) }];
}
