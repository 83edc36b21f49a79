// The event sink (agent/node/event-sink.ts) against the REAL embedded API server: the recorder's events
// POSTed as core/v1 Events and their repeats PATCHed (or POSTed again when deleted), Node events in
// `default` found the way `kubectl describe node` looks for them, rewriteInvolved, the 1000-event bound
// (oldest dropped, the caller never waits), retries of unanswered writes and dropping of refused ones.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../client/errors.js';
import { EVENTS, type KubeClient, type KubeObject } from '../../../client/types.js';
import { EventRecorder } from '../../../agent/events/recorder.js';
import { EventSink, type EventSinkOptions } from '../../../agent/node/event-sink.js';
import { hooked, startRig, type Rig } from './node-rig.js';

let rig: Rig;
let sink: EventSink | undefined;
afterEach(async () => { await sink?.stop(); sink = undefined; await rig?.close(); });

type Ev = KubeObject & { count?: number; firstTimestamp?: string; lastTimestamp?: string; message?: string; involvedObject?: Record<string, string>; reason?: string };

const web = { name: 'web', namespace: 'default', uid: 'uid-web' };
const pulled = { type: 'Normal', reason: 'Pulled', message: 'Container image "busybox" already present on machine', fieldPath: 'spec.containers{main}' } as const;

function start(recorder: EventRecorder, over: Partial<EventSinkOptions> = {}): EventSink {
  sink = new EventSink({ client: rig.client, events: recorder, log: rig.log, clock: rig.clock, random: () => 0, ...over });
  sink.start();
  return sink;
}

const listEvents = async (fieldSelector?: string) => (await rig.client.list<Ev>(EVENTS, { fieldSelector })).items;

describe('event sink', () => {
  it('posts a new event, then patches its count and lastTimestamp when it repeats', async ({ expect }) => {
    rig = await startRig();
    const recorder = new EventRecorder('node-a', () => rig.clock.now());
    const calls: string[] = [];
    const s = start(recorder, { client: hooked(rig.client, (m) => { calls.push(m); return undefined; }) });
    const e = recorder.event(web, pulled);
    await s.idle();
    const [posted, ...rest] = await listEvents();
    expect(rest).toEqual([]);
    expect(posted!.metadata!.name).toMatch(/^web\.[0-9a-f]{16}$/);
    expect(posted!.metadata!.name).toBe(e.metadata!.name);
    expect(posted).toMatchObject({
      metadata: { namespace: 'default' },
      involvedObject: { kind: 'Pod', apiVersion: 'v1', namespace: 'default', name: 'web', uid: 'uid-web', fieldPath: 'spec.containers{main}' },
      reason: 'Pulled', message: pulled.message, type: 'Normal', source: { component: 'kubelet', host: 'node-a' },
      firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:00:00Z', count: 1, reportingComponent: 'kubelet', reportingInstance: 'node-a',
    });
    await rig.clock.advance(5_000);
    recorder.event(web, pulled);
    await s.idle();
    const [patched] = await listEvents();
    expect(patched).toMatchObject({ count: 2, firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:00:05Z' });
    expect(patched!.metadata!.uid).toBe(posted!.metadata!.uid);
    expect(calls).toEqual(['create', 'patch']);
  });

  it('puts Node events in default without an involvedObject namespace, where kubectl describe node finds them', async ({ expect }) => {
    rig = await startRig();
    const recorder = new EventRecorder('node-a', () => rig.clock.now());
    const s = start(recorder);
    recorder.event({ kind: 'Node', name: 'node-a', namespace: 'default', uid: 'node-a' }, { type: 'Normal', reason: 'Starting', message: 'Starting kubelet.' });
    await s.idle();
    const found = await listEvents('involvedObject.name=node-a,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=node-a');
    expect(found).toHaveLength(1);
    expect(found[0]!.metadata!.namespace).toBe('default');
    expect(found[0]!.involvedObject).toEqual({ kind: 'Node', apiVersion: 'v1', name: 'node-a', uid: 'node-a' });
  });

  it('posts a repeat again when the event was deleted, and applies rewriteInvolved', async ({ expect }) => {
    rig = await startRig();
    const recorder = new EventRecorder('node-a', () => rig.clock.now());
    const s = start(recorder, { rewriteInvolved: (ref) => (ref.uid === 'uid-web' ? { ...ref, uid: 'uid-mirror' } : ref) });
    const e = recorder.event(web, pulled);
    await s.idle();
    await rig.client.delete(EVENTS, 'default', e.metadata!.name!);
    recorder.event(web, pulled);
    await s.idle();
    const [again] = await listEvents();
    expect(again).toMatchObject({ metadata: { name: e.metadata!.name }, count: 2, involvedObject: { name: 'web', uid: 'uid-mirror' } });
  });

  it('keeps at most 1000 pending events, dropping the oldest, without making the caller wait', async ({ expect }) => {
    rig = await startRig({ memory: true });
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const recorder = new EventRecorder('node-a', () => rig.clock.now());
    const s = start(recorder, { client: hooked(rig.client, (m) => (m === 'create' ? held : undefined)) });
    const names = Array.from({ length: 1500 }, (_, i) => recorder.event({ name: `p${i}`, namespace: 'default', uid: `u${i}` }, pulled).metadata!.name!);
    // All 1500 came in one turn: the writer has not taken any yet, so the oldest 500 were dropped.
    expect(s.queued).toBe(1000);
    expect(s.dropped).toBe(500);
    expect(rig.log.lines.filter((l) => l.msg === 'Event queue is full: dropping the oldest events')).toHaveLength(1);
    release();
    await s.idle();
    const stored = (await listEvents()).map((e) => e.metadata!.name).sort();
    expect(stored).toEqual(names.slice(500).sort());
    expect(rig.log.lines.filter((l) => l.msg === 'Events were dropped while the event queue was full').map((l) => l.obj)).toEqual([{ dropped: 500 }]);
  });

  it('retries a write the server did not answer, drops one it refused, and gives up after maxTries with one line', async ({ expect }) => {
    rig = await startRig();
    const recorder = new EventRecorder('node-a', () => rig.clock.now());
    const tries = new Map<string, number>();
    const client: KubeClient = hooked(rig.client, (m, _ref, name) => {
      if (m !== 'create' || !name) return undefined;
      const n = (tries.get(name) ?? 0) + 1;
      tries.set(name, n);
      if (name.startsWith('flaky.') && n <= 2) return ApiError.unreachable(rig.client.server, new Error('socket hang up'));
      if (name.startsWith('bad.')) return new ApiError({ code: 422, reason: 'Invalid', message: 'Event "bad.x" is invalid' });
      if (name.startsWith('down.')) return ApiError.unreachable(rig.client.server, new Error('connect ECONNREFUSED'));
      return undefined;
    });
    const s = start(recorder, { client, maxTries: 3 });
    const flaky = recorder.event({ name: 'flaky', namespace: 'default', uid: 'u1' }, pulled).metadata!.name!;
    // First retry after a random share of 10 s (0 here), the next after 10 s.
    await vi.waitFor(() => expect(tries.get(flaky)).toBe(1));
    await rig.clock.advance(0);
    await vi.waitFor(() => expect(tries.get(flaky)).toBe(2));
    await rig.clock.advance(9_999);
    expect(tries.get(flaky)).toBe(2);
    await rig.clock.advance(1);
    await s.idle();
    expect(tries.get(flaky)).toBe(3);

    recorder.event({ name: 'bad', namespace: 'default', uid: 'u2' }, pulled);
    recorder.event({ name: 'down', namespace: 'default', uid: 'u3' }, pulled);
    recorder.event({ name: 'good', namespace: 'default', uid: 'u4' }, pulled);
    const downTries = () => [...tries].find(([k]) => k.startsWith('down.'))?.[1] ?? 0;
    await vi.waitFor(() => expect(downTries()).toBe(1));
    await rig.clock.advance(0);
    await vi.waitFor(() => expect(downTries()).toBe(2));
    await rig.clock.advance(10_000);
    await s.idle();
    expect((await listEvents()).map((e) => e.involvedObject!.name).sort()).toEqual(['flaky', 'good']);
    const lines = rig.log.lines.filter((l) => l.msg.startsWith('Unable to write event')).map((l) => [(l.obj as { event: string }).event.split('.')[0], l.msg]);
    expect(lines).toEqual([['bad', 'Unable to write event (the server refused it, not retrying)'], ['down', 'Unable to write event (giving up after 3 tries)']]);
  });
});
