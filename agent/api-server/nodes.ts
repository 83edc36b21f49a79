// agent/api-server/nodes.ts — the cluster-scoped objects: this node (`kubectl get nodes`, `describe node`:
// Ready, capacity/allocatable, addresses, nodeInfo versions) and the namespaces the pods use.
//
// Called through the routes registered by index.ts. Builds the Node from the machine (os, /etc/os-release,
// machine and boot ids), the runtime's version and the agent's health; it never changes anything.
import { createHash } from 'node:crypto';
import { readFileSync, statfsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { arch, cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import type { Node } from '../api/v1.js';
import { flag, notFound, rfc3339, sendJSON, wantsTable } from './request.js';
import { parseFieldSelector, parseLabelSelector, type FieldGetters } from './selectors.js';
import { includeObjectOf, namespaceTable, nodeTable, toTable, type NamespaceObj, type TableSpec } from './tables.js';
import type { ApiContext, RouteDef } from './types.js';
import { openWatch } from './watch.js';

export const KUBELET_VERSION = 'v1.33.0-mini';

const readText = (path: string): string => { try { return readFileSync(path, 'utf8').trim(); } catch { return ''; } };

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readText('/etc/os-release'));
  return m?.[1] ?? 'Linux';
}

function firstIPv4(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

const goArch = (): string => ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[arch()] ?? arch();

function ephemeralStorageKi(path: string): string | undefined {
  try {
    const s = statfsSync(path);
    return `${Math.floor((s.blocks * s.bsize) / 1024)}Ki`;
  } catch {
    return undefined;
  }
}

export class NodeView {
  readonly #ctx: ApiContext;
  readonly #created: string;
  #runtimeVersion = 'docker://unknown';
  #asked = false;

  constructor(ctx: ApiContext) {
    this.#ctx = ctx;
    this.#created = rfc3339(ctx.deps.startedAt ?? ctx.deps.now());
  }

  /** Asks the runtime for its version once; until it answers the node shows `docker://unknown`. */
  async refresh(): Promise<void> {
    if (this.#asked) return;
    this.#asked = true;
    try {
      const v = await this.#ctx.deps.runtime.version();
      this.#runtimeVersion = `${v.runtimeName.toLowerCase()}://${v.runtimeVersion}`;
    } catch {
      this.#asked = false;
    }
  }

  node(): Node {
    const d = this.#ctx.deps;
    const name = d.nodeName;
    const now = rfc3339(d.now());
    const healthy = d.healthy?.() ?? true;
    const storage = ephemeralStorageKi(d.rootDir);
    const capacity: Record<string, string> = {
      cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: String(d.maxPods),
      ...(storage ? { 'ephemeral-storage': storage } : {}),
    };
    const cond = (type: string, status: string, reason: string, message: string) =>
      ({ type, status, lastHeartbeatTime: now, lastTransitionTime: this.#created, reason, message });
    return {
      apiVersion: 'v1', kind: 'Node',
      metadata: {
        name, uid: createHash('md5').update(`node:${name}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'),
        resourceVersion: String(this.#ctx.feed.resourceVersion), creationTimestamp: this.#created,
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': goArch(), 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': goArch() },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      },
      spec: {},
      status: {
        capacity, allocatable: { ...capacity },
        conditions: [
          cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          healthy ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
            : cond('Ready', 'False', 'KubeletNotReady', 'container runtime is down: PLEG is not healthy'),
        ],
        addresses: [{ type: 'InternalIP', address: d.hostIP ?? firstIPv4() }, { type: 'Hostname', address: hostname() }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: readText('/etc/machine-id'), systemUUID: readText('/sys/class/dmi/id/product_uuid'),
          bootID: readText('/proc/sys/kernel/random/boot_id'), kernelVersion: release(), osImage: osImage(),
          containerRuntimeVersion: this.#runtimeVersion, kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '',
          operatingSystem: 'linux', architecture: goArch(),
        },
      },
    };
  }

  namespaces(): NamespaceObj[] {
    const names = new Set(['default', 'kube-system', ...this.#ctx.feed.list().map((p) => p.metadata?.namespace ?? 'default')]);
    return [...names].sort().map((name) => ({
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name, uid: createHash('md5').update(`ns:${name}`).digest('hex'), resourceVersion: '1', creationTimestamp: this.#created, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    }));
  }
}

const metaFields: FieldGetters<{ metadata?: { name?: string } }> = { 'metadata.name': (o) => o.metadata?.name };

function serveList<T extends { metadata?: { name?: string; labels?: Record<string, string> } }>(
  req: IncomingMessage, res: ServerResponse, url: URL, kind: string, all: T[], spec: TableSpec<T>, now: number, rv: string,
): void {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'), metaFields, kind);
  const items = all.filter((o) => labels(o.metadata?.labels) && fields(o));
  if (flag(url, 'watch')) {
    // One object that changes only in its heartbeat: send the current state, then keep the stream open.
    const w = openWatch(req, res, url);
    const rvParam = url.searchParams.get('resourceVersion') ?? '';
    if (rvParam === '' || rvParam === '0') for (const o of items) w.send('ADDED', wantsTable(req) ? toTable(spec, [o], now, rv, includeObjectOf(url), false) : o);
    return;
  }
  if (wantsTable(req)) return sendJSON(res, 200, toTable(spec, items, now, rv, includeObjectOf(url)));
  sendJSON(res, 200, { kind: `${kind}List`, apiVersion: 'v1', metadata: { resourceVersion: rv }, items });
}

export function nodeRoutes(ctx: ApiContext): RouteDef[] {
  const view = new NodeView(ctx);
  const now = () => ctx.deps.now();
  const getOne = <T extends { metadata?: { name?: string; resourceVersion?: string } }>(req: IncomingMessage, res: ServerResponse, url: URL, o: T | undefined, resource: string, name: string, spec: TableSpec<T>) => {
    if (!o) throw notFound(resource, name);
    if (wantsTable(req)) return sendJSON(res, 200, toTable(spec, [o], now(), o.metadata?.resourceVersion ?? '', includeObjectOf(url)));
    sendJSON(res, 200, o);
  };
  return [
    { method: 'GET', path: '/api/v1/nodes', handler: async (req, res, url) => { await view.refresh(); const n = view.node(); serveList(req, res, url, 'Node', [n], nodeTable, now(), n.metadata!.resourceVersion!); } },
    {
      method: 'GET', path: '/api/v1/nodes/:name', handler: async (req, res, url, p) => {
        await view.refresh();
        const n = view.node();
        getOne(req, res, url, n.metadata?.name === p.name ? n : undefined, 'nodes', p.name!, nodeTable);
      },
    },
    { method: 'GET', path: '/api/v1/namespaces', handler: (req, res, url) => serveList(req, res, url, 'Namespace', view.namespaces(), namespaceTable, now(), '1') },
    { method: 'GET', path: '/api/v1/namespaces/:name', handler: (req, res, url, p) => getOne(req, res, url, view.namespaces().find((n) => n.metadata?.name === p.name), 'namespaces', p.name!, namespaceTable) },
  ];
}
