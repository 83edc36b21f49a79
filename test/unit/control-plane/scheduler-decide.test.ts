// The scheduler's pure decision: which node a pod goes to, or the `0/N nodes are available` message.
import { describe, expect, it } from 'vitest';
import { decide, type NodeView, type PodView } from '../../../control-plane/scheduler/decide.js';

const node = (name: string, o: { ready?: boolean; labels?: Record<string, string>; unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] } = {}): NodeView => ({
  metadata: { name, labels: o.labels ?? {} },
  spec: { unschedulable: o.unschedulable, taints: o.taints },
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});
const pod = (spec: PodView['spec'] = {}, phase = 'Running'): PodView => ({ metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec, status: { phase } });

describe('decide', () => {
  it('picks the Ready node with the fewest live pods (finished pods do not count), ties by name', () => {
    const nodes = [node('b'), node('a'), node('c', { ready: false })];
    expect(decide(pod(), nodes, []).node).toBe('a');
    expect(decide(pod(), nodes, [pod({ nodeName: 'a' })]).node).toBe('b');
    expect(decide(pod(), nodes, [pod({ nodeName: 'a' }, 'Succeeded')]).node).toBe('a');
  });

  it('honours nodeSelector, unschedulable nodes and NoSchedule taints with tolerations', () => {
    const nodes = [node('a', { labels: { disk: 'ssd' } }), node('b', { unschedulable: true }), node('c', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] })];
    expect(decide(pod({ nodeSelector: { disk: 'ssd' } }), nodes, []).node).toBe('a');
    const tainted = nodes.slice(1);
    expect(decide(pod({ tolerations: [{ key: 'gpu', operator: 'Exists' }] }), tainted, []).node).toBe('c');
    expect(decide(pod(), tainted, []).message).toContain('1 node(s) had untolerated taint {gpu: yes}');
  });

  it('explains why no node fits, counting each reason', () => {
    const nodes = [node('a', { ready: false }), node('b', { unschedulable: true }), node('c', { labels: {} })];
    expect(decide(pod({ nodeSelector: { x: 'y' } }), nodes, []).message).toBe(
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    expect(decide(pod(), [], []).message).toBe('0/0 nodes are available. preemption: 0/0 nodes are available: 0 Preemption is not helpful for scheduling.');
  });
});
