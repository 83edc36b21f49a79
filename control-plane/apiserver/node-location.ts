// control-plane/apiserver/node-location.ts — where a pod's streaming subresource (log, exec, attach,
// portforward) goes on its node: the container it names (or the only one), the kubelet's own path and query
// for it, and the kubelet's endpoint from the Node object (status.addresses, daemonEndpoints).
//
// PURE. The rules and texts are kube-apiserver's (pkg/registry/core/pod/strategy.go LogLocation,
// streamLocation, PortForwardLocation, validateContainer; ValidatePodLogOptions); the kubelet paths are the
// kubelet server's (/containerLogs, /exec, /attach, /portForward). Two choices are ours: the address order
// (InternalIP, Hostname, ExternalIP) and a 503 naming the node when the Node or its endpoint is missing.
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { badRequest, invalid, StatusError, type FieldError } from '../store/index.js';
import { flag, intParam } from './http.js';

export type PodStream = 'log' | 'exec' | 'attach' | 'portforward';

export const POD_STREAMS: ReadonlySet<string> = new Set<PodStream>(['log', 'exec', 'attach', 'portforward']);

/** A kubelet path with its query (`/containerLogs/ns/pod/c?follow=true`), and the node it is on. */
export interface KubeletTarget { nodeName: string; path: string }

export interface KubeletEndpoint { host: string; port: number }

const names = (list: readonly Container[] | undefined): string[] => (list ?? []).map((c) => c.name);

/** Every container of the pod in kube-apiserver's visiting order: init, regular, ephemeral. */
function allContainerNames(pod: Pod): string[] {
  const s = pod.spec;
  return [...names(s?.initContainers), ...names(s?.containers), ...names(s?.ephemeralContainers as Container[] | undefined)];
}

/** The container a request names, or the pod's only one; a 400 with the upstream text otherwise. */
export function containerFor(pod: Pod, requested: string | null | undefined): string {
  const podName = pod.metadata?.name ?? '';
  if (requested) {
    if (!allContainerNames(pod).includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    return requested;
  }
  const regular = pod.spec?.containers ?? [];
  if (regular.length === 1) return regular[0]!.name;
  if (regular.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
  throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${allContainerNames(pod).join(' ')}]`);
}

const ADDRESS_ORDER = ['InternalIP', 'Hostname', 'ExternalIP'] as const;

const unreachable = (nodeName: string, why: string): StatusError =>
  new StatusError(503, 'ServiceUnavailable', `cannot reach the kubelet of node "${nodeName}": ${why}`);

/** The kubelet's address and port from its Node; a 503 naming the node when either is missing. */
export function kubeletEndpoint(nodeName: string, node: Node | undefined): KubeletEndpoint {
  if (!node) throw unreachable(nodeName, 'the Node object does not exist (the kubelet has not registered)');
  const addresses = node.status?.addresses ?? [];
  const host = ADDRESS_ORDER.map((t) => addresses.find((a) => a.type === t && a.address)?.address).find((a) => a !== undefined);
  if (!host) throw unreachable(nodeName, `the Node has no ${ADDRESS_ORDER.join(', ')} address in status.addresses`);
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw unreachable(nodeName, 'the Node has no port in status.daemonEndpoints.kubeletEndpoint.Port');
  }
  return { host, port };
}

/** `host:port` (an IPv6 host in brackets), for a URL or a Host header. */
export const hostPort = (e: KubeletEndpoint): string => `${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;

/** An RFC 3339 time in Go's time.RFC3339 form (UTC, whole seconds), as the API server passes sinceTime on. */
function rfc3339(v: string): string {
  const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw badRequest(`invalid value for sinceTime: ${JSON.stringify(v)} is not an RFC 3339 time`);
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The log query for the kubelet (PodLogOptions as LogLocation passes them), validated as upstream. */
export function logQuery(url: URL, podName: string): URLSearchParams {
  const q = new URLSearchParams();
  for (const f of ['follow', 'previous', 'timestamps'] as const) if (flag(url, f)) q.set(f, 'true');
  const sinceSeconds = intParam(url, 'sinceSeconds');
  const sinceTimeRaw = url.searchParams.get('sinceTime');
  const sinceTime = sinceTimeRaw ? rfc3339(sinceTimeRaw) : undefined;
  const tailLines = intParam(url, 'tailLines');
  const limitBytes = intParam(url, 'limitBytes');
  const errs: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) errs.push({ type: 'FieldValueInvalid', field: 'tailLines', value: tailLines, detail: 'must be greater than or equal to 0' });
  if (limitBytes !== undefined && limitBytes < 1) errs.push({ type: 'FieldValueInvalid', field: 'limitBytes', value: limitBytes, detail: 'must be greater than 0' });
  if (sinceSeconds !== undefined && sinceTime !== undefined) errs.push({ type: 'FieldValueForbidden', field: '', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  else if (sinceSeconds !== undefined && sinceSeconds < 1) errs.push({ type: 'FieldValueInvalid', field: 'sinceSeconds', value: sinceSeconds, detail: 'must be greater than 0' });
  if (errs.length) throw invalid('PodLogOptions', podName, errs);
  if (sinceSeconds !== undefined) q.set('sinceSeconds', String(sinceSeconds));
  if (sinceTime !== undefined) q.set('sinceTime', sinceTime);
  if (tailLines !== undefined) q.set('tailLines', String(tailLines));
  if (limitBytes !== undefined) q.set('limitBytes', String(limitBytes));
  return q;
}

/** The API's exec/attach flags and the kubelet's names for them (core ExecStdinParam … = input, output, error, tty). */
const KUBELET_STREAM_FLAGS = [['stdin', 'input'], ['stdout', 'output'], ['stderr', 'error'], ['tty', 'tty']] as const;

/** exec/attach: the stream flags as the kubelet reads them (`input=1` …), and exec's command words in order. */
function streamQuery(url: URL, withCommand: boolean): URLSearchParams {
  const q = new URLSearchParams();
  for (const [api, kubelet] of KUBELET_STREAM_FLAGS) if (flag(url, api)) q.set(kubelet, '1');
  if (withCommand) for (const c of url.searchParams.getAll('command')) q.append('command', c);
  return q;
}

/** portforward: the requested ports (each `ports` value, comma lists allowed) as the kubelet's one `port`. */
function portForwardQuery(url: URL): URLSearchParams {
  const ports = url.searchParams.getAll('ports').flatMap((v) => v.split(',')).map((p) => p.trim()).filter((p) => p !== '');
  for (const p of ports) {
    if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535) throw badRequest(`invalid port ${JSON.stringify(p)}: must be a number between 1 and 65535`);
  }
  const q = new URLSearchParams();
  if (ports.length) q.set('port', ports.join(','));
  return q;
}

const seg = encodeURIComponent;
const withQuery = (path: string, q: URLSearchParams): string => (q.size ? `${path}?${q.toString()}` : path);

/**
 * Where a stream request for `pod` goes on its kubelet. `undefined` for the log of a pod that has no node
 * yet (kube-apiserver answers an empty log then); exec/attach/portforward of such a pod are a 400.
 */
export function kubeletTarget(kind: PodStream, pod: Pod, url: URL): KubeletTarget | undefined {
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const query = kind === 'log' ? logQuery(url, name) : undefined;
  const container = kind === 'portforward' ? '' : containerFor(pod, url.searchParams.get('container'));
  const nodeName = pod.spec?.nodeName ?? '';
  if (!nodeName) {
    if (kind === 'log') return undefined;
    throw badRequest(`pod ${name} does not have a host assigned`);
  }
  const base = `${seg(ns)}/${seg(name)}`;
  switch (kind) {
    case 'log': return { nodeName, path: withQuery(`/containerLogs/${base}/${seg(container)}`, query!) };
    case 'exec': return { nodeName, path: withQuery(`/exec/${base}/${seg(container)}`, streamQuery(url, true)) };
    case 'attach': return { nodeName, path: withQuery(`/attach/${base}/${seg(container)}`, streamQuery(url, false)) };
    case 'portforward': return { nodeName, path: withQuery(`/portForward/${base}`, portForwardQuery(url)) };
  }
}
