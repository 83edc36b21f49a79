// cri/fake/fake-images.ts — the image store of the fake runtime: which images are present, which a pull may
// fetch, reference normalisation as Docker does it (docker.io/library/busybox → busybox:latest) and the
// Image records (stable fake ids, overridable config: user, entrypoint, stop signal).
// Owned by one FakeRuntime (fake-runtime.ts), which records calls and injects errors around it.
import { createHash } from 'node:crypto';
import type { Image } from '../api.js';
import { CriError } from '../errors.js';

const IMAGE_REF = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** docker.io/library/busybox → busybox:latest; undefined when ref is not a valid image reference. */
export function normalizeImageRef(ref: string): string | undefined {
  if (!IMAGE_REF.test(ref)) return undefined;
  const r = ref.replace(/^(?:index\.)?docker\.io\/(?:library\/)?/, '');
  return r.includes('@') || r.slice(r.lastIndexOf('/') + 1).includes(':') ? r : `${r}:latest`;
}

export class FakeImageStore {
  /** Normalized refs of the images present. */
  readonly images = new Set<string>();
  readonly #overrides = new Map<string, Partial<Image>>();
  readonly #pullable = new Set<string>();

  add(ref: string, config: Partial<Image> = {}): void {
    const n = normalizeImageRef(ref) ?? ref;
    this.images.add(n);
    this.#overrides.set(n, config);
  }

  allowPull(ref: string): void { this.#pullable.add(normalizeImageRef(ref) ?? ref); }
  pullable(normalized: string): boolean { return this.#pullable.has(normalized); }

  image(n: string): Image {
    return {
      id: `sha256:${sha256(`image-${n}`)}`, repoTags: [n], repoDigests: [], size: 4_000_000, user: '', entrypoint: [], cmd: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], workingDir: '', stopSignal: '', ...this.#overrides.get(n),
    };
  }

  /** The normalized ref (or the image id); InvalidImageName otherwise. */
  validRef(ref: string): string {
    const n = /^sha256:[a-f0-9]{64}$/.test(ref) ? ref : normalizeImageRef(ref);
    if (!n) throw new CriError('InvalidImageName', `couldn't parse image name "${ref}": invalid reference format`);
    return n;
  }

  find(ref: string): Image | undefined {
    if (ref.startsWith('sha256:')) return [...this.images].map((n) => this.image(n)).find((i) => i.id === ref);
    const n = normalizeImageRef(ref) ?? ref;
    if (this.images.has(n)) return this.image(n);
    return this.images.has(ref) ? this.image(ref) : undefined; // added to `images` directly, unnormalized
  }
}
