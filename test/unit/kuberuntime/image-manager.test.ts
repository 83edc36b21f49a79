// Unit tests for agent/kuberuntime/image-manager.ts and backoff.ts on cri/fake and the fake clock: an image
// status the runtime cannot answer is ImageInspectError (not "absent"), and pull back-off entries of failing
// pulls are freed once idle past twice the maximum window (client-go's Backoff.GC), never earlier.
import { describe, expect, it } from 'vitest';
import { CriError } from '../../../cri/errors.js';
import { FakeClock } from '../../../cri/fake/fake-clock.js';
import { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import { Backoff } from '../../../agent/kuberuntime/backoff.js';
import { ImageManager } from '../../../agent/kuberuntime/image-manager.js';
import type { Container, Pod } from '../../../agent/api/v1.js';

const S = 1000;

function setup(o: { maxMs?: number } = {}) {
  const clock = new FakeClock();
  const runtime = new FakeRuntime({ clock });
  const backoff = new Backoff(10 * S, o.maxMs ?? 300 * S, () => clock.now());
  const images = new ImageManager({ runtime, backoff, offlineFallback: true, now: () => clock.now() });
  const events: { type: string; reason: string; message: string }[] = [];
  const ev = { event: (type: 'Normal' | 'Warning', reason: string, message: string) => void events.push({ type, reason, message }), record: () => undefined };
  return { clock, runtime, backoff, images, events, ev };
}

const pod = (uid: string): Pod => ({ metadata: { name: `p-${uid}`, namespace: 'default', uid }, spec: { containers: [] } });
const ctr = (image: string, imagePullPolicy?: string): Container => ({ name: 'c', image, imagePullPolicy });

describe('image manager: image status errors', () => {
  it.each([['IfNotPresent'], ['Always'], ['Never']])('%s: an imageStatus error is ImageInspectError with InspectFailed and Failed events, and nothing is pulled', async (policy) => {
    const t = setup();
    t.runtime.injectError('imageStatus', new CriError('RuntimeUnavailable', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock'));
    const r = await t.images.ensureImageExists(pod('u1'), ctr('busybox', policy), t.ev);
    const message = 'Failed to inspect image "busybox": Cannot connect to the Docker daemon at unix:///var/run/docker.sock';
    expect(r).toEqual({ ok: false, reason: 'ImageInspectError', message });
    expect(t.events).toEqual([
      { type: 'Warning', reason: 'InspectFailed', message },
      { type: 'Warning', reason: 'Failed', message: 'Error: ImageInspectError' },
    ]);
    expect(t.runtime.calls.filter((c) => c === 'pullImage')).toEqual([]);
  });

  it('an absent image is still pulled (null is "absent", only an error is ImageInspectError)', async () => {
    const t = setup();
    t.runtime.allowPull('nginx:1.27');
    const r = await t.images.ensureImageExists(pod('u1'), ctr('nginx:1.27'), t.ev);
    expect(r).toEqual({ ok: true, imageRef: 'nginx:1.27' });
    expect(t.runtime.calls.filter((c) => c === 'pullImage')).toEqual(['pullImage']);
  });
});

describe('pull back-off GC', () => {
  it('Backoff.gcStale forgets keys idle past twice the maximum window, not before', async () => {
    const t = setup();
    t.backoff.next('a', t.clock.now());
    await t.clock.advance(300 * S);
    t.backoff.next('b', t.clock.now());
    await t.clock.advance(300 * S);
    t.backoff.gcStale(); // a idle exactly 600 s: kept
    expect([t.backoff.has('a'), t.backoff.has('b')]).toEqual([true, true]);
    await t.clock.advance(1);
    t.backoff.gcStale();
    expect([t.backoff.has('a'), t.backoff.has('b')]).toEqual([false, true]);
    await t.clock.advance(300 * S);
    t.backoff.gcStale();
    expect(t.backoff.size).toBe(0);
  });

  it('a short maximum (lab configs) is never collected before the 600 s expiry, so GC changes no decision', async () => {
    const t = setup({ maxMs: 20 * S });
    t.backoff.next('a', t.clock.now());
    await t.clock.advance(599 * S);
    t.backoff.gcStale();
    expect(t.backoff.has('a')).toBe(true);
    await t.clock.advance(2 * S);
    t.backoff.gcStale();
    expect(t.backoff.has('a')).toBe(false);
  });

  it('a soak of failing pulls does not grow: entries of pods whose pulls failed are freed by gc()', async () => {
    const t = setup();
    for (let i = 0; i < 50; i++) {
      const r = await t.images.ensureImageExists(pod(`u${i}`), ctr('no-such-image:1'), t.ev);
      expect(r.reason).toBe('ErrImagePull');
    }
    expect([t.images.failuresHeld, t.backoff.size]).toEqual([50, 50]);
    await t.clock.advance(300 * S);
    const again = await t.images.ensureImageExists(pod('u0'), ctr('no-such-image:1'), t.ev); // u0 fails again: 20 s window
    expect(again.reason).toBe('ErrImagePull');
    await t.clock.advance(300 * S + 1);
    t.images.gc();
    expect([t.images.failuresHeld, t.backoff.size]).toEqual([1, 1]);
    expect(t.backoff.get('u0_no-such-image:1')).toBe(20 * S); // the live one kept its history (doubled)
    await t.clock.advance(300 * S);
    t.images.gc();
    expect([t.images.failuresHeld, t.backoff.size]).toEqual([0, 0]);
  });
});
