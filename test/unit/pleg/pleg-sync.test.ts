// Unit tests for agent/pleg/pleg.ts, the relists a pod start costs: while a worker syncs a pod, the pod's own
// creates and starts relist nothing and the one relist after the sync reads them; an exit still relists at
// once, inspecting the container the event names while the pod is listed; relists requested while one runs
// share a single follow-up; an exit is told once however many relists see it.
import { describe, expect, it } from 'vitest';
import type { Container, ContainerFilter } from '../../../cri/api.js';
import { FakeClock } from '../../../cri/fake/fake-clock.js';
import { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import { app, plegOn, sb } from './pleg-fixtures.js';

/** A runtime whose container listings can be held back until `release()`: a slow relist. */
class HeldListRuntime extends FakeRuntime {
  #hold: Promise<void> | undefined;
  release: () => void = () => undefined;
  hold(): void {
    this.#hold = new Promise((r) => { this.release = r; });
  }
  override async listContainers(filter?: ContainerFilter, signal?: AbortSignal): Promise<Container[]> {
    const answer = await super.listContainers(filter, signal);
    if (this.#hold) await this.#hold;
    return answer;
  }
}

function setup() {
  const rt = new HeldListRuntime({ clock: new FakeClock(1_000_000) });
  const exits: string[] = [];
  const { pleg, cache } = plegOn(rt, { onExit: (_uid, c) => exits.push(c.id) });
  const lists = () => rt.calls.filter((c) => c === 'listContainers').length;
  return { rt, cache, pleg, lists, exits };
}

/** Lets the event stream deliver what was emitted (a few turns of the event loop). */
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('pleg during a pod sync', () => {
  it('the sync\'s own creates and starts relist nothing; one relist after it reads them; an exit relists at once', async () => {
    const { rt, cache, pleg, lists } = setup();
    const ac = new AbortController();
    void pleg.run(ac.signal);
    await settle();
    const before = lists();
    let id = '';
    const r = await pleg.sync('uid-1', async () => {
      const sandboxId = await rt.runPodSandbox(sb);
      id = await rt.createContainer(sandboxId, app, sb);
      await rt.startContainer(id);
      await settle();
      expect(lists()).toBe(before); // sandbox created + started, container created + started: no relist
      return { changed: true };
    });
    expect(r).toEqual({ changed: true });
    expect(lists()).toBe(before + 1);
    expect(cache.get('uid-1')!.containers.map((c) => c.state)).toEqual(['CONTAINER_RUNNING']);

    await rt.stopContainer(id, 0); // not a sync: the exit event relists the pod
    await settle();
    expect(lists()).toBe(before + 2);
    expect(cache.get('uid-1')!.containers.map((c) => c.state)).toEqual(['CONTAINER_EXITED']);
    ac.abort();
  });

  it('a sync that changed nothing relists nothing; one that threw still relists', async () => {
    const { rt, cache, pleg, lists } = setup();
    const before = lists();
    await pleg.sync('uid-1', async () => ({ changed: false }));
    expect(lists()).toBe(before);
    await expect(pleg.sync('uid-1', async () => { await rt.runPodSandbox(sb); throw new Error('boom'); })).rejects.toThrow('boom');
    expect(lists()).toBe(before + 1);
    expect(cache.get('uid-1')!.sandboxes.length).toBe(1);
  });

  it('the relist after a sync inspects the containers the sync names while it lists the pod', async () => {
    const { rt, cache, pleg } = setup();
    await pleg.sync('uid-1', async () => {
      const id = await rt.createContainer(await rt.runPodSandbox(sb), app, sb);
      await rt.startContainer(id);
      rt.calls.length = 0;
      return { changed: true, containerIds: [id] };
    });
    expect(rt.calls.indexOf('containerStatus')).toBeLessThan(rt.calls.indexOf('listContainers'));
    expect(cache.get('uid-1')!.containers.map((c) => c.state)).toEqual(['CONTAINER_RUNNING']);
  });

  it('outside a sync, a start by someone else relists the pod', async () => {
    const { rt, cache, pleg, lists } = setup();
    const ac = new AbortController();
    void pleg.run(ac.signal);
    const sandboxId = await rt.runPodSandbox(sb);
    const id = await rt.createContainer(sandboxId, app, sb);
    await settle();
    const before = lists();
    await rt.startContainer(id);
    await settle();
    expect(lists()).toBeGreaterThan(before);
    expect(cache.get('uid-1')!.containers.map((c) => c.state)).toEqual(['CONTAINER_RUNNING']);
    ac.abort();
  });
});

describe('pleg relists of one pod', () => {
  it('requests while a relist runs share one follow-up, which inspects every container named', async () => {
    const { rt, cache, pleg, lists } = setup();
    const sandboxId = await rt.runPodSandbox(sb);
    const id = await rt.createContainer(sandboxId, app, sb);
    await rt.startContainer(id);
    await pleg.relistPod('uid-1');
    const before = lists();
    rt.hold();
    const first = pleg.relistPod('uid-1');
    await settle();
    await rt.stopContainer(id, 0);
    const queued = [pleg.relistPod('uid-1'), pleg.relistPod('uid-1', id), pleg.relistPod('uid-1')];
    expect(new Set(queued).size).toBe(1);
    rt.release();
    await Promise.all([first, ...queued]);
    expect(lists()).toBe(before + 2);
    expect(cache.get('uid-1')!.containers.map((c) => c.state)).toEqual(['CONTAINER_EXITED']);
  });
});

describe('pleg and an exit', () => {
  async function exited() {
    const t = setup();
    const sandboxId = await t.rt.runPodSandbox(sb);
    const id = await t.rt.createContainer(sandboxId, app, sb);
    await t.rt.startContainer(id);
    await t.pleg.relistPod('uid-1');
    await t.rt.stopContainer(id, 0);
    t.rt.calls.length = 0;
    return { ...t, id };
  }

  it('the container an event names is inspected while the pod is listed, not after', async () => {
    const { rt, cache, pleg, id } = await exited();
    await pleg.relistPod('uid-1', id);
    expect(rt.calls.indexOf('containerStatus')).toBeLessThan(rt.calls.indexOf('listContainers'));
    expect(cache.get('uid-1')!.containers.map((c) => c.state)).toEqual(['CONTAINER_EXITED']);
  });

  it('an exit two relists inspect at the same time is told once', async () => {
    const { cache, pleg, exits, id } = await exited();
    await Promise.all([pleg.relistAll(), pleg.relistPod('uid-1', id)]);
    expect(cache.get('uid-1')!.containers.map((c) => c.state)).toEqual(['CONTAINER_EXITED']);
    expect(exits).toEqual([id]);
  });
});
