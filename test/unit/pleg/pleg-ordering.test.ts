// Unit tests for agent/pleg/pleg.ts: a full relist that listed before a pod changed must not overwrite the
// newer status a per-pod relist already published (the race that re-created live sandboxes under load).
import { describe, expect, it } from 'vitest';
import type { ContainerStatus } from '../../../cri/api.js';
import { FakeClock } from '../../../cri/fake/fake-clock.js';
import { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import { PodCache } from '../../../agent/pleg/pod-cache.js';
import { Pleg } from '../../../agent/pleg/pleg.js';
import { app, sb } from './pleg-fixtures.js';

/** A runtime whose next containerStatus answer is held back until `release()`: a slow inspect. */
class SlowStatusRuntime extends FakeRuntime {
  #hold: Promise<void> | undefined;
  release: () => void = () => undefined;
  holdNextStatus(): void {
    this.#hold = new Promise((r) => { this.release = r; });
  }
  override async containerStatus(id: string): Promise<ContainerStatus> {
    const answer = await super.containerStatus(id);
    const hold = this.#hold;
    this.#hold = undefined;
    if (hold) await hold;
    return answer;
  }
}

function setup() {
  const rt = new SlowStatusRuntime({ clock: new FakeClock(1_000_000) });
  const cache = new PodCache();
  const log = { warn: () => undefined, debug: () => undefined };
  const pleg = new Pleg({ runtime: rt, cache, selector: {}, relistPeriodMs: 1000, clock: rt.clock as FakeClock, log });
  return { rt, cache, pleg };
}

describe('pleg ordering', () => {
  it('a slow full relist does not publish its older view over a newer per-pod relist', async () => {
    const { rt, cache, pleg } = setup();
    const sandboxId = await rt.runPodSandbox(sb);
    const id = await rt.createContainer(sandboxId, app, sb);
    rt.holdNextStatus();
    const full = pleg.relistAll(); // lists the container as created, then waits on its inspect
    await new Promise((r) => setTimeout(r, 10));
    await rt.startContainer(id);
    await pleg.relistPod('uid-1');
    expect(cache.get('uid-1')!.containers[0]!.state).toBe('CONTAINER_RUNNING');
    rt.release();
    await full;
    expect(cache.get('uid-1')!.containers[0]!.state).toBe('CONTAINER_RUNNING');
  });

  it('a forgotten pod is not brought back by a relist that listed before it was forgotten', async () => {
    const { rt, cache, pleg } = setup();
    const sandboxId = await rt.runPodSandbox(sb);
    await rt.createContainer(sandboxId, app, sb);
    rt.holdNextStatus();
    const full = pleg.relistAll();
    await new Promise((r) => setTimeout(r, 10));
    pleg.forget('uid-1');
    rt.release();
    await full;
    expect(cache.get('uid-1')).toBeUndefined();
    await pleg.relistAll(); // a newer listing still sees the objects: the pod is back, as it should be
    expect(cache.get('uid-1')).toBeDefined();
  });

  it('tells subscribers once per change, not for listings it drops', async () => {
    const { rt, pleg } = setup();
    const seen: string[] = [];
    pleg.subscribe((uid) => seen.push(uid));
    const sandboxId = await rt.runPodSandbox(sb);
    const id = await rt.createContainer(sandboxId, app, sb);
    rt.holdNextStatus();
    const full = pleg.relistAll();
    await new Promise((r) => setTimeout(r, 10));
    await rt.startContainer(id);
    await pleg.relistPod('uid-1');
    rt.release();
    await full;
    await pleg.relistPod('uid-1');
    expect(seen).toEqual(['uid-1']);
  });
});

/** A runtime whose listing still shows chosen containers running after they died, as Docker's does briefly. */
class LaggingListRuntime extends FakeRuntime {
  readonly stale = new Set<string>();
  override async listContainers(...args: Parameters<FakeRuntime['listContainers']>) {
    const list = await super.listContainers(...args);
    return list.map((c) => (this.stale.has(c.id) ? { ...c, state: 'CONTAINER_RUNNING' as const } : c));
  }
}

describe('pleg and a container that just died', () => {
  it('the event names the container: its inspected state wins over a listing that lags', async () => {
    const rt = new LaggingListRuntime({ clock: new FakeClock(1_000_000) });
    const cache = new PodCache();
    const pleg = new Pleg({ runtime: rt, cache, selector: {}, relistPeriodMs: 1000, clock: rt.clock as FakeClock, log: { warn: () => undefined, debug: () => undefined } });
    const sandboxId = await rt.runPodSandbox(sb);
    const id = await rt.createContainer(sandboxId, app, sb);
    await rt.startContainer(id);
    await pleg.relistPod('uid-1');
    expect(cache.get('uid-1')!.containers[0]!.state).toBe('CONTAINER_RUNNING');
    await rt.stopContainer(id, 0);
    rt.stale.add(id);
    await pleg.relistPod('uid-1'); // a relist without the event's hint trusts the listing
    expect(cache.get('uid-1')!.containers[0]!.state).toBe('CONTAINER_RUNNING');
    await pleg.relistPod('uid-1', id);
    expect(cache.get('uid-1')!.containers[0]!.state).toBe('CONTAINER_EXITED');
    await pleg.relistPod('uid-1'); // and a later lagging listing does not bring "running" back
    expect(cache.get('uid-1')!.containers[0]!.state).toBe('CONTAINER_EXITED');
  });
});
