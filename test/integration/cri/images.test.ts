// Real Docker: the image service — status (present/absent), list, pull (success with progress, not found,
// unauthorised, no registry answering, invalid name), remove — and the pause image resolution. Every pull
// goes to 127.0.0.1 (a fake registry, or a closed port): nothing leaves the machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageService } from '../../../cri/api.js';
import { CriError, hasCode } from '../../../cri/errors.js';
import type { DockerRuntime } from '../../../cri/docker/docker-runtime.js';
import { DEFAULT_PAUSE_IMAGE, LOCAL_PAUSE_IMAGE, resolvePauseImage } from '../../../cri/docker/pause-image.js';
import { BUSYBOX, cleanupTestRuntime, newTestRuntime, requireDocker } from '../../helpers/docker-rig.js';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.js';

let rt: DockerRuntime;
let registry: FakeRegistry;
const REPO = `mk-test/busybox-${process.pid}`;
const UNREACHABLE = '127.0.0.1:1/mk-test/nothing:1';

beforeAll(async () => {
  await requireDocker();
  rt = newTestRuntime();
  registry = await startFakeRegistry(BUSYBOX, REPO, 'pulled');
});
afterAll(async () => {
  await registry?.close();
  await rt?.removeImage(`${registry?.host}/${REPO}:pulled`).catch(() => undefined);
  if (rt) await cleanupTestRuntime(rt);
});

const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof CriError ? e.code : `not a CriError: ${String(e)}`));

describe('imageStatus and listImages', () => {
  it('describes a present image and returns null for an absent one', async () => {
    const img = await rt.imageStatus(BUSYBOX);
    expect(img).not.toBeNull();
    expect(img!.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(img!.repoTags).toContain(BUSYBOX);
    expect(img!.size).toBeGreaterThan(0);
    expect(img!.user).toBe('');
    expect(img!.cmd).toEqual(['sh']);
    expect(await rt.imageStatus('busybox')).toEqual(img); // the default tag is applied
    expect(await rt.imageStatus(img!.id)).toEqual(img);
    expect(await rt.imageStatus('mk-test/absent:nope')).toBeNull();
    expect(await codeOf(rt.imageStatus('Not A Valid//Name'))).toBe('InvalidImageName');
  });

  it('lists the local images with their details', async () => {
    const list = await rt.listImages();
    const busybox = list.find((i) => i.repoTags.includes(BUSYBOX));
    expect(busybox?.cmd).toEqual(['sh']);
    expect(list.some((i) => i.repoTags.includes(LOCAL_PAUSE_IMAGE))).toBe(true);
  });
});

describe('pullImage', () => {
  it('pulls from a registry with progress, then the image is present; remove is idempotent', async () => {
    const ref = `${registry.host}/${REPO}:pulled`;
    const progress: string[] = [];
    const id = await rt.pullImage(ref, undefined, (p) => progress.push(p.status));
    expect(id).toBe((await rt.imageStatus(BUSYBOX))!.id);
    expect(progress.some((s) => /Pulling from|Digest|Status/.test(s))).toBe(true);
    expect((await rt.imageStatus(ref))!.repoTags).toContain(ref);
    await rt.removeImage(ref);
    expect(await rt.imageStatus(ref)).toBeNull();
    await rt.removeImage(ref);
    expect(await rt.imageStatus(BUSYBOX)).not.toBeNull(); // only the tag went
  });

  it('a reference the registry does not have is ErrImagePull, with a one-line message', async () => {
    const ref = `${registry.host}/mk-test/missing:1`;
    const err = await rt.pullImage(ref).catch((e: unknown) => e);
    expect(hasCode(err, 'ErrImagePull')).toBe(true);
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).message).toContain(ref);
  });

  it('an unauthorised pull is ErrImagePull', async () => {
    expect(await codeOf(rt.pullImage(`${registry.host}/private/thing:1`))).toBe('ErrImagePull');
  });

  it('no registry answering is RegistryUnavailable', async () => {
    const err = await rt.pullImage(UNREACHABLE).catch((e: unknown) => e);
    expect(hasCode(err, 'RegistryUnavailable')).toBe(true);
    expect((err as Error).message).toMatch(/registry is unavailable/);
  });

  it('an invalid reference is InvalidImageName without asking a registry', async () => {
    for (const bad of ['UPPER/case:1', 'a b', 'busybox:', 'busybox@sha256:xyz', '-lead', '']) {
      expect(await codeOf(rt.pullImage(bad)), bad).toBe('InvalidImageName');
    }
  });
});

describe('resolvePauseImage', () => {
  const failingPulls = (hide: string[] = []): ImageService => ({
    pullImage: () => Promise.reject(new CriError('RegistryUnavailable', 'image pull failed because the registry is unavailable')),
    imageStatus: async (ref) => (hide.includes(ref) ? null : rt.imageStatus(ref)),
    listImages: () => rt.listImages(),
    removeImage: (ref) => rt.removeImage(ref),
  });

  it('uses the requested image when present', async () => {
    const logs: string[] = [];
    expect(await resolvePauseImage(rt, LOCAL_PAUSE_IMAGE, (m) => logs.push(m))).toBe(LOCAL_PAUSE_IMAGE);
    expect(logs).toEqual([]);
  });

  it('pulls the requested image when absent', async () => {
    const ref = `${registry.host}/${REPO}:pulled`;
    expect(await resolvePauseImage(rt, ref, () => undefined)).toBe(ref);
    await rt.removeImage(ref);
  });

  it('falls back to the local pause image when the default cannot be pulled, and says so', async () => {
    const logs: string[] = [];
    expect(await resolvePauseImage(failingPulls([DEFAULT_PAUSE_IMAGE]), DEFAULT_PAUSE_IMAGE, (m) => logs.push(m))).toBe(LOCAL_PAUSE_IMAGE);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(LOCAL_PAUSE_IMAGE);
  });

  it('without the default and the local image: CreatePodSandboxError naming npm run setup and the flag', async () => {
    const err = await resolvePauseImage(failingPulls([DEFAULT_PAUSE_IMAGE, LOCAL_PAUSE_IMAGE]), DEFAULT_PAUSE_IMAGE, () => undefined).catch((e: unknown) => e);
    expect(hasCode(err, 'CreatePodSandboxError')).toBe(true);
    expect((err as Error).message).toContain('npm run setup');
    expect((err as Error).message).toContain('--pod-infra-container-image');
  });

  it('a non-default image that cannot be pulled has no fallback', async () => {
    const err = await resolvePauseImage(rt, UNREACHABLE, () => undefined).catch((e: unknown) => e);
    expect(hasCode(err, 'CreatePodSandboxError')).toBe(true);
    expect((err as Error).message).toContain('--pod-infra-container-image');
  });
});
