// `mini-kubelet timeline KIND/NAME`: the kinds and short names it takes, and the whole command against a
// fake server that answers the API (the Deployment, its ReplicaSets, pods, Events) and the agent's
// /lifecycle records of the recorded rolling update.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTimeline } from '../../../agent/cli/commands/timeline.js';
import { parseTarget } from '../../../agent/timeline/workload-fetch.js';
import { rollout } from './workload-fixtures.js';
import { T } from './fixtures.js';
import { capture } from './capture.js';

describe('parseTarget', () => {
  it.each([['loap', 'loap'], ['pod/loap', 'loap'], ['po/loap', 'loap'], ['pods/web-0', 'web-0']])('%s is a pod', (arg, pod) => {
    expect(parseTarget(arg)).toEqual({ pod });
  });
  it.each([
    ['deployment/web', 'Deployment'], ['deploy/web', 'Deployment'], ['deployments.apps/web', 'Deployment'], ['rs/web-5d8f', 'ReplicaSet'],
    ['sts/db', 'StatefulSet'], ['ds/agent', 'DaemonSet'], ['job/pi', 'Job'], ['jobs.batch/pi', 'Job'], ['cj/hello', 'CronJob'],
    ['rc/old', 'ReplicationController'], ['replicationcontroller/old', 'ReplicationController'],
  ])('%s is a %s', (arg, kind) => {
    expect(parseTarget(arg)).toMatchObject({ workload: { kind }, name: arg.split('/')[1] });
  });
  it.each([['svc/web', 'the server doesn\'t have a resource type "svc"'], ['deploy/', 'single resource and name'], ['deploy/a/b', 'single resource and name'], ['deployment.batch/x', 'resource type']])('refuses %s', (arg, msg) => {
    expect((parseTarget(arg) as { error: string }).error).toContain(msg);
  });
});

afterEach(() => { vi.restoreAllMocks(); });

describe('runTimeline deployment/NAME', () => {
  let server: Server;
  let base = '';
  const seen: string[] = [];
  beforeAll(async () => {
    const f = rollout();
    const list = (items: readonly unknown[]) => ({ kind: 'List', apiVersion: 'v1', metadata: {}, items });
    const routes: Record<string, unknown> = {
      '/apis/apps/v1/namespaces/default/deployments/web': f.root,
      '/apis/apps/v1/namespaces/default/replicasets': list(f.owned),
      '/api/v1/namespaces/default/pods': list(f.pods),
      '/api/v1/namespaces/default/events': list(f.events),
      ...Object.fromEntries(Object.entries(f.records).map(([name, r]) => [`/lifecycle/default/${name}`, r])),
    };
    server = createServer((req, res) => {
      const path = new URL(req.url!, 'http://x').pathname;
      seen.push(path);
      // deployments/leaving: answered once, then deleted.
      const body = path.endsWith('/deployments/leaving') && !seen.slice(0, -1).some((p) => p.endsWith('/deployments/leaving')) ? { ...(f.root as object), metadata: { name: 'leaving', uid: 'x' } } : routes[path];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `deployments.apps "${path.split('/').pop()}" not found` }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('writes the model as JSON: both ReplicaSets, the scaling steps, a lane per pod', async () => {
    const io = capture();
    expect(await runTimeline(['deploy/web', '--server', base, '-o', 'json'])).toBe(0);
    const m = JSON.parse(io.out());
    expect(m.objects.map((o: { name: string }) => o.name)).toEqual(['web-aaa', 'web-bbb']);
    expect(m.pods.map((p: { name: string; source: string }) => `${p.name}:${p.source}`)).toEqual(['web-aaa-a1:record', 'web-aaa-a2:events', 'web-bbb-b1:record', 'web-bbb-b2:record']);
    // The agent was asked for every pod the tree had, the one it no longer remembers included.
    expect(seen.filter((p) => p.startsWith('/lifecycle/')).sort()).toEqual(['/lifecycle/default/web-aaa-a1', '/lifecycle/default/web-aaa-a2', '/lifecycle/default/web-bbb-b1', '/lifecycle/default/web-bbb-b2']);
  });

  it('draws the chart and a trace', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(T + 14_000); // the live pods' lanes run to "now"
    let io = capture();
    expect(await runTimeline(['deployment/web', '--server', base, '--width', '90'])).toBe(0);
    expect(io.out()).toContain('deployment default/web');
    expect(io.out()).toMatch(/\n {2}web-bbb-b2 +·+█+\n/);
    vi.restoreAllMocks();
    io = capture();
    expect(await runTimeline(['deployment/web', '--server', base, '-o', 'trace'])).toBe(0);
    expect(JSON.parse(io.out()).traceEvents.filter((e: { name: string }) => e.name === 'process_name')).toHaveLength(5);
  });

  it('--follow writes the model, then says so when the workload is deleted', async () => {
    const io = capture();
    expect(await runTimeline(['deployment/leaving', '--server', base, '-o', 'json', '--follow'])).toBe(0);
    const [first, ...rest] = io.out().trim().split('\n');
    expect(JSON.parse(first!).workload.name).toBe('leaving');
    expect(rest).toEqual(['deployment deleted; the timeline above is its last state']);
  });

  it('answers like kubectl for a workload that is not there, and refuses a kind it does not draw', async () => {
    let io = capture();
    expect(await runTimeline(['deployment/nope', '--server', base])).toBe(1);
    expect(io.err()).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    vi.restoreAllMocks();
    io = capture();
    expect(await runTimeline(['svc/web', '--server', base])).toBe(2);
    expect(io.err()).toContain('error: the server doesn\'t have a resource type "svc"');
  });
});
