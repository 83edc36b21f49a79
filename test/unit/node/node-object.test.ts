// Pure parts of the node writers (agent/node/node-object.ts, machine-info.ts, lease.ts): quantities as the
// API prints them, MicroTime, status-change detection that ignores heartbeats, the status patch (changed
// fields, removed keys as null, conditions with their order), and the kubelet's reconcile of an existing Node.
import { describe, expect, it } from 'vitest';
import { microTime } from '../../../agent/node/lease.js';
import { binaryQuantity, goArch } from '../../../agent/node/machine-info.js';
import { nodeStatusPatch, reconcileExisting, statusChanged, type NodeObject } from '../../../agent/node/node-object.js';

describe('quantities and times', () => {
  it('binary quantities take the largest exact suffix, else plain bytes', () => {
    expect(binaryQuantity(0)).toBe('0');
    expect(binaryQuantity(2 * 2 ** 20)).toBe('2Mi');
    expect(binaryQuantity(8148304 * 1024)).toBe('8148304Ki');
    expect(binaryQuantity(93478772582)).toBe('93478772582');
    expect(binaryQuantity(2 ** 30)).toBe('1Gi');
  });

  it('GOARCH names and MicroTime with six fractional digits', () => {
    expect([goArch('x64'), goArch('arm64')]).toEqual(['amd64', 'arm64']);
    expect(microTime(Date.UTC(2024, 0, 1, 0, 0, 10, 123))).toBe('2024-01-01T00:00:10.123000Z');
  });
});

const ready = (status: string, heartbeat: string, transition = '2024-01-01T00:00:00Z') =>
  ({ type: 'Ready', status, reason: 'KubeletReady', message: 'm', lastHeartbeatTime: heartbeat, lastTransitionTime: transition });

describe('status changes and the status patch', () => {
  it('a new heartbeat alone is no change; anything else is', () => {
    const a = { capacity: { cpu: '2' }, conditions: [ready('True', '2024-01-01T00:00:00Z')] };
    expect(statusChanged(a, { ...a, conditions: [ready('True', '2024-01-01T00:00:10Z')] })).toBe(false);
    expect(statusChanged(a, { ...a, capacity: { cpu: '4' } })).toBe(true);
    expect(statusChanged(a, { ...a, conditions: [ready('False', '2024-01-01T00:00:10Z')] })).toBe(true);
  });

  it('the patch carries changed fields, null for removed keys, whole condition lists with their order', () => {
    const original: NodeObject = {
      metadata: { name: 'n', labels: { a: '1', gone: 'x' } },
      status: { capacity: { cpu: '2', 'hugepages-1Gi': '0' }, conditions: [ready('True', '2024-01-01T00:00:00Z')], nodeInfo: { bootID: 'b' } as never },
    };
    const modified: NodeObject = {
      metadata: { name: 'n', labels: { a: '2' } },
      status: { capacity: { cpu: '2' }, conditions: [ready('True', '2024-01-01T00:00:10Z')], nodeInfo: { bootID: 'b' } as never },
    };
    expect(nodeStatusPatch(original, modified)).toEqual({
      metadata: { labels: { a: '2', gone: null } },
      status: { capacity: { 'hugepages-1Gi': null }, conditions: modified.status!.conditions, '$setElementOrder/conditions': [{ type: 'Ready' }] },
    });
    expect(nodeStatusPatch(modified, structuredClone(modified))).toEqual({});
  });

  it('taking over: default labels, the attach-detach annotation and hugepage sizes are made right, other labels stay', () => {
    const initial: NodeObject = {
      metadata: { labels: { 'kubernetes.io/hostname': 'h', 'kubernetes.io/os': 'linux' }, annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
      status: { capacity: { cpu: '2', 'hugepages-2Mi': '0' }, allocatable: { cpu: '2', 'hugepages-2Mi': '0' } },
    };
    const existing: NodeObject = {
      metadata: { labels: { 'kubernetes.io/hostname': 'old', team: 'a' } },
      status: { capacity: { cpu: '2', 'hugepages-1Gi': '0' }, allocatable: { cpu: '2', 'hugepages-1Gi': '0' } },
    };
    expect(reconcileExisting(existing, initial)).toBe(true);
    expect(existing.metadata!.labels).toEqual({ 'kubernetes.io/hostname': 'h', 'kubernetes.io/os': 'linux', team: 'a' });
    expect(existing.metadata!.annotations).toEqual({ 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' });
    expect(existing.status!.capacity).toEqual({ cpu: '2', 'hugepages-2Mi': '0' });
    expect(reconcileExisting(existing, initial)).toBe(false);
  });
});
