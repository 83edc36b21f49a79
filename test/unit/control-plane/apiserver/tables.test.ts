// Unit tests of the server-side Tables (control-plane/registry/table.ts and each kind's columns): kubectl's
// duration format, the Table shape kubectl needs (apiVersion, row objects as PartialObjectMetadata, wide
// columns at priority 1), and the cells of pods (init, sidecars, waiting/terminated reasons, Terminating,
// restarts "(… ago)", wide), events, nodes, ConfigMaps, Secrets, namespaces and leases.
import { describe, expect, it } from 'vitest';
import { humanDuration, Registry, toTable, type KubeObject } from '../../../../control-plane/registry/index.js';

const reg = new Registry();
const T = Date.parse('2026-11-23T10:00:00Z');
const ago = (s: number): string => new Date(T - s * 1000).toISOString().replace('.000Z', 'Z');
const cells = (resource: string, o: object, group = ''): unknown[] => reg.lookup(group, 'v1', resource)!.def.table.cells(o as KubeObject, T);
const header = (resource: string, group = ''): string[] => reg.lookup(group, 'v1', resource)!.def.table.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`);

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each([
    [-3000, '<invalid>'], [-1000, '0s'], [0, '0s'], [45_000, '45s'], [119_000, '119s'], [200_000, '3m20s'], [180_000, '3m'],
    [600_000, '10m'], [14_700_000, '4h5m'], [108_000_000, '30h'], [183_600_000, '2d3h'], [1_728_000_000, '20d'],
    [(2 * 365 + 10) * 86_400_000, '2y10d'], [9 * 365 * 86_400_000, '9y'],
  ])('%i ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('the Table shape', () => {
  it('columns with priority for -o wide, rows with PartialObjectMetadata, the whole object or nothing', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', labels: { x: 'y' }, creationTimestamp: ago(5) }, data: { k: 'v' }, binaryData: { b: 'AA==' } };
    const def = reg.lookup('', 'v1', 'configmaps')!.def.table;
    expect(toTable(def, [cm], T, { resourceVersion: '7' })).toEqual({
      kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '7' }, columnDefinitions: def.columns,
      rows: [{ cells: ['a', 2, '5s'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm.metadata } }],
    });
    expect(toTable(def, [cm], T, { include: 'Object', columns: false })).toMatchObject({ columnDefinitions: null, rows: [{ object: cm }] });
    expect(toTable(def, [cm], T, { include: 'None' }).rows[0]).toEqual({ cells: ['a', 2, '5s'] });
  });

  it('each kind has the columns kube-apiserver prints (* = wide only)', () => {
    expect(header('pods')).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*']);
    expect(header('configmaps')).toEqual(['Name', 'Data', 'Age']);
    expect(header('secrets')).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(header('namespaces')).toEqual(['Name', 'Status', 'Age']);
    expect(header('leases', 'coordination.k8s.io')).toEqual(['Name', 'Holder', 'Age']);
    expect(header('nodes')).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*']);
    expect(header('events')).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']);
  });
});

const running = { running: { startedAt: ago(60) } };
const podOf = (spec: object, status: object, meta: object = {}) => ({ metadata: { name: 'p', creationTimestamp: ago(90), ...meta }, spec, status });

describe('pod cells', () => {
  it('running, ready, with restarts and when the last one ended; wide columns', () => {
    const p = podOf({ nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }], readinessGates: [{ conditionType: 'G' }] }, {
      phase: 'Running', podIPs: [{ ip: '10.0.0.4' }], conditions: [{ type: 'G', status: 'True' }],
      containerStatuses: [
        { name: 'a', ready: true, restartCount: 2, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } } },
        { name: 'b', ready: false, restartCount: 0, state: running },
      ],
    });
    expect(cells('pods', p)).toEqual(['p', '1/2', 'Running', '2 (30s ago)', '90s', '10.0.0.4', 'n1', '<none>', '1/1']);
  });

  it('init containers: Init:x/y, Init:<reason>, Init:ExitCode; a started sidecar counts as ready', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'm' }] };
    const waitingInit = podOf(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { waiting: { reason: 'PodInitializing' } } }] });
    expect(cells('pods', waitingInit).slice(1, 3)).toEqual(['0/1', 'Init:1/2']);
    const crash = podOf(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
    expect(cells('pods', crash).slice(1, 4)).toEqual(['0/1', 'Init:CrashLoopBackOff', '3']);
    const failed = podOf(spec, { phase: 'Failed', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2 } } }] });
    expect(cells('pods', failed)[2]).toBe('Init:ExitCode:2');
    const sidecar = podOf({ initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'm' }] }, {
      phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 's', started: true, ready: true, state: running }], containerStatuses: [{ name: 'm', ready: true, state: running }],
    });
    expect(cells('pods', sidecar).slice(1, 3)).toEqual(['2/2', 'Running']);
  });

  it('waiting and terminated reasons of the first container that has one; Completed with one still running; Terminating', () => {
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    const pulling = podOf(spec, { phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ErrImagePull' } } }, { name: 'b', state: { waiting: { reason: 'ContainerCreating' } } }] });
    expect(cells('pods', pulling)[2]).toBe('ErrImagePull');
    const signal = podOf(spec, { phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137, signal: 9 } } }, { name: 'b', ready: true, state: running }] });
    expect(cells('pods', signal).slice(1, 3)).toEqual(['1/2', 'Signal:9']);
    const completed = podOf(spec, { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', ready: true, state: running }] });
    expect(cells('pods', completed)[2]).toBe('NotReady');
    const deleting = podOf(spec, { phase: 'Running' }, { deletionTimestamp: ago(0) });
    expect(cells('pods', deleting)[2]).toBe('Terminating');
    expect(cells('pods', { ...deleting, status: { phase: 'Succeeded' } })[2]).toBe('Succeeded');
  });
});

describe('other kinds\' cells', () => {
  it('events: last seen, object as kind/name, source with host, count', () => {
    const e = {
      metadata: { name: 'p.1' }, involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{a}' }, reason: 'Pulled', type: 'Normal',
      message: ' pulled \n', source: { component: 'kubelet', host: 'n1' }, firstTimestamp: ago(300), lastTimestamp: ago(10), count: 4,
    };
    expect(cells('events', e)).toEqual(['10s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{a}', 'kubelet, n1', 'pulled', '5m', 4, 'p.1']);
    const newer = { metadata: { name: 'x' }, involvedObject: { kind: 'Node' }, eventTime: ago(3), reportingComponent: 'ctl', reportingInstance: 'i1', series: { count: 7, lastObservedTime: ago(1) } };
    expect(cells('events', newer)).toEqual(['1s', '', '', 'node', '', 'ctl, i1', '', '3s', 7, 'x']);
  });

  it('nodes: Ready/NotReady/Unknown, SchedulingDisabled, roles, addresses, node info', () => {
    const n = {
      metadata: { name: 'n1', creationTimestamp: ago(7200), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'False' }], addresses: [{ type: 'InternalIP', address: '10.0.0.5' }], nodeInfo: { kubeletVersion: 'v1.33.0', osImage: 'Debian' } },
    };
    expect(cells('nodes', n)).toEqual(['n1', 'NotReady,SchedulingDisabled', 'control-plane,edge', '120m', 'v1.33.0', '10.0.0.5', '<none>', 'Debian', '<unknown>', '<unknown>']);
    expect(cells('nodes', { metadata: { name: 'n2' } }).slice(1, 3)).toEqual(['Unknown', '<none>']);
  });

  it('secrets, namespaces, leases', () => {
    expect(cells('secrets', { metadata: { name: 's', creationTimestamp: ago(1) }, type: 'kubernetes.io/tls', data: { a: '', b: '' } })).toEqual(['s', 'kubernetes.io/tls', 2, '1s']);
    expect(cells('namespaces', { metadata: { name: 'n', creationTimestamp: ago(2) }, status: { phase: 'Terminating' } })).toEqual(['n', 'Terminating', '2s']);
    expect(cells('leases', { metadata: { name: 'l' }, spec: { holderIdentity: 'n1' } }, 'coordination.k8s.io')).toEqual(['l', 'n1', '<unknown>']);
  });
});
