// test/contract/cases-images.ts — contract cases for the image service: status of a present, an absent and
// a malformed reference, the listing, and pulls that cannot succeed offline (no registry answers) or at all
// (a malformed reference). Nothing is pulled from the network.
import { describe } from 'vitest';
import { hasCode } from '../../cri/errors.js';
import { BUSYBOX } from './harness.js';
import { codeOf, type ContractTest } from './context.js';

const INVALID = ['a b', 'busybox:', 'busybox@sha256:xyz', '-lead', ''];

export function imageCases(it: ContractTest): void {
  describe('images', () => {
    it('imageStatus: a present image by tag, short name and id; null when absent; InvalidImageName when malformed', async ({ c, expect }) => {
      const img = await c.h.rt.imageStatus(BUSYBOX);
      expect(img).not.toBeNull();
      expect(img!.id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(img!.repoTags).toContain(BUSYBOX);
      expect(img!.size).toBeGreaterThan(0);
      expect(img!.cmd).toEqual(['sh']);
      expect(img!.user).toBe('');
      expect(await c.h.rt.imageStatus('busybox')).toEqual(img);
      expect(await c.h.rt.imageStatus(img!.id)).toEqual(img);
      expect(await c.h.rt.imageStatus('mk-contract/absent:nope')).toBeNull();
      for (const bad of INVALID) expect(await codeOf(c.h.rt.imageStatus(bad)), bad).toBe('InvalidImageName');
    });

    it('listImages includes the present images with their details', async ({ c, expect }) => {
      const busybox = (await c.h.rt.listImages()).find((i) => i.repoTags.includes(BUSYBOX));
      expect(busybox).toEqual(await c.h.rt.imageStatus(BUSYBOX));
    });

    it('pulling an absent image when no registry answers is RegistryUnavailable; the image stays absent', async ({ c, expect }) => {
      const ref = c.h.unreachableImage();
      const err = await c.h.settle(c.h.rt.pullImage(ref).catch((e: unknown) => e), 30_000);
      expect(hasCode(err, 'RegistryUnavailable')).toBe(true);
      expect((err as Error).message).toMatch(/registry is unavailable/);
      expect((err as Error).message).not.toContain('\n');
      expect(await c.h.rt.imageStatus(ref)).toBeNull();
    });

    it('pulling a malformed reference is InvalidImageName, without asking a registry', async ({ c, expect }) => {
      for (const bad of INVALID) expect(await codeOf(c.h.rt.pullImage(bad)), bad).toBe('InvalidImageName');
    });
  });
}
