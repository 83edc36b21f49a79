import { describe, expect, it } from 'vitest';
import { PullProgressDisplay } from '../../../agent/events/pull-progress.js';
import { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import { Backoff } from '../../../agent/kuberuntime/backoff.js';
import { ImageManager } from '../../../agent/kuberuntime/image-manager.js';
import type { Pod } from '../../../agent/api/v1.js';

/** An image manager on cri/fake whose progress and fallback go to a (non-terminal) display; `lines` = what it logs. */
function offline() {
  const runtime = new FakeRuntime();
  const lines: string[] = [];
  const display = new PullProgressDisplay(undefined, (_i, t) => lines.push(t), () => runtime.clock.now());
  const images = new ImageManager({
    runtime, backoff: new Backoff(10_000, 300_000, () => runtime.clock.now()), offlineFallback: true, now: () => runtime.clock.now(),
    onProgress: (image, p) => display.update(image, p), onFallback: (image, m) => display.presentImageUsed(image, m),
  });
  const ev = { event: () => undefined, record: () => undefined };
  const start = (uid: string, image = 'busybox') =>
    images.ensureImageExists({ metadata: { name: uid, namespace: 'default', uid }, spec: { containers: [] } } as Pod, { name: 'c', image }, ev);
  return { runtime, lines, start };
}

describe('pull progress', () => {
  it('renders percent and layers, without colour when asked', () => {
    const layers = new Map([['a', { current: 50, total: 100, done: false }], ['b', { current: 0, total: 100, done: true }]]);
    expect(PullProgressDisplay.render('busybox:latest', { layers }, false)).toBe('Pulling busybox:latest ███████████████░░░░░ 75% 1/2 layers');
  });
  it('logs at most every 2 s when not a terminal, and stops at the final status', () => {
    let now = 0;
    const lines: string[] = [];
    const d = new PullProgressDisplay(undefined, (_i, t) => lines.push(t), () => now);
    d.update('x', { id: 'l1', status: 'Downloading', current: 1, total: 10 });
    now = 1000; d.update('x', { id: 'l1', status: 'Downloading', current: 5, total: 10 });
    now = 2500; d.update('x', { id: 'l1', status: 'Download complete' });
    expect(lines).toEqual(['Pulling x ██░░░░░░░░░░░░░░░░░░ 10% 0/1 layers', 'Pulling x ████████████████████ 100% 1/1 layers']);
  });

  it('offline: every start runs the present image, the log says so once per image and draws no empty progress line', async () => {
    const t = offline();
    t.runtime.registryUnavailable = true;
    t.runtime.addImage('nginx:latest');
    for (const uid of ['a', 'b', 'c', 'd']) expect(await t.start(uid)).toEqual({ ok: true, imageRef: 'busybox:latest' });
    expect(await t.start('e', 'nginx')).toEqual({ ok: true, imageRef: 'nginx:latest' });
    expect(t.lines).toEqual([
      'Cannot pull busybox, no registry answers (image pull failed for busybox:latest because the registry is unavailable: dial tcp: connection refused); running the image already present on this machine',
      'Cannot pull nginx, no registry answers (image pull failed for nginx:latest because the registry is unavailable: dial tcp: connection refused); running the image already present on this machine',
    ]);
  });

  it('a failed pull that made no progress draws no line; after a successful pull, a new offline spell is told again', async () => {
    const t = offline();
    expect((await t.start('a', 'missing:1')).reason).toBe('ErrImagePull');
    expect(t.lines).toEqual([]);
    t.runtime.registryUnavailable = true;
    await t.start('b');
    t.runtime.registryUnavailable = false;
    t.runtime.allowPull('busybox:latest');
    expect(await t.start('c')).toEqual({ ok: true, imageRef: 'busybox:latest' }); // pulled: the registry is back
    t.runtime.registryUnavailable = true;
    await t.start('d');
    await t.start('e');
    expect(t.lines.filter((l) => l.startsWith('Cannot pull busybox'))).toHaveLength(2);
    expect(t.lines.filter((l) => l.startsWith('Pulling'))).toEqual([]);
  });
});
