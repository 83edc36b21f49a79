// agent/kuberuntime/image-manager.ts — makes sure a container's image is present, by imagePullPolicy.
//
// The kubelet's images.imageManager: IfNotPresent / Never / Always, Pulling/Pulled events, ErrImagePull then
// ImagePullBackOff with its own back-off (10 s → 300 s, key <podUID>_<image>; gc() frees idle entries), and
// ImageInspectError when the runtime cannot say whether the image is present. mini-kubelet's deliberate
// difference: under Always, a pull that fails only because no registry answers runs the image already present
// and records a Warning event (offlineImageFallback; off ⇒ the kubelet's strict ErrImagePull).
import type { AuthConfig, Image, Runtime, PullProgress } from '../../cri/api.js';
import { CriError, errorLine, isRegistryUnavailable } from '../../cri/errors.js';
import type { Container, Pod } from '../api/v1.js';
import type { Backoff } from './backoff.js';
import { formatGoDuration } from '../util/go-duration.js';

export interface ImageEvents {
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  record(kind: string, data: Record<string, unknown>): void;
}

export interface EnsureImageResult {
  readonly ok: boolean;
  /** Image reference to create the container from. */
  readonly imageRef?: string;
  readonly reason?: string;
  readonly message?: string;
}

export interface ImageManagerOptions {
  readonly runtime: Runtime;
  readonly backoff: Backoff;
  readonly offlineFallback: boolean;
  readonly now: () => number;
  readonly onProgress?: (image: string, p: PullProgress) => void;
  /** No registry answered and the image already present is used (offlineFallback): told on each such start. */
  readonly onFallback?: (image: string, message: string) => void;
}

/** `busybox` → `busybox:latest`; refs with a tag or digest are kept. */
export function applyDefaultTag(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`;
}

export class ImageManager {
  constructor(readonly o: ImageManagerOptions) {}

  /**
   * `auths`: registry credentials from the pod's imagePullSecrets that match the image (pull-secrets.ts),
   * tried in turn as the kubelet does; none = an anonymous pull.
   */
  async ensureImageExists(pod: Pod, c: Container, ev: ImageEvents, auths: readonly AuthConfig[] = [], signal?: AbortSignal): Promise<EnsureImageResult> {
    const image = c.image ?? '';
    if (!/^[a-z0-9][a-z0-9._\-/:@]*$/i.test(image) || image.endsWith(':') || image.endsWith('/')) {
      const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
      ev.event('Warning', 'InspectFailed', message);
      return { ok: false, reason: 'InvalidImageName', message };
    }
    const ref = applyDefaultTag(image);
    const policy = c.imagePullPolicy ?? (ref.endsWith(':latest') ? 'Always' : 'IfNotPresent');
    let present: Image | null;
    try {
      present = await this.o.runtime.imageStatus(ref);
    } catch (err) {
      // The engine could not say (it is down, or the store is broken): not "absent", the kubelet's ImageInspectError.
      const message = `Failed to inspect image "${image}": ${errorLine(err)}`;
      ev.event('Warning', 'InspectFailed', message);
      ev.event('Warning', 'Failed', 'Error: ImageInspectError');
      return { ok: false, reason: 'ImageInspectError', message };
    }
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        ev.event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { ok: true, imageRef: ref };
      }
      const message = `Container image "${image}" is not present with pull policy of Never`;
      ev.event('Warning', 'ErrImageNeverPull', message);
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    const key = `${pod.metadata?.uid}_${image}`;
    const start = this.o.now();
    const failedAt = this.#lastFailure.get(key);
    if (failedAt !== undefined && this.o.backoff.isInBackOffSince(key, failedAt)) {
      const prev = this.#lastError.get(key) ?? '';
      ev.event('Normal', 'BackOff', `Back-off pulling image "${image}"`);
      return { ok: false, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"${prev ? `: ErrImagePull: ${prev}` : ''}` };
    }
    ev.event('Normal', 'Pulling', `Pulling image "${image}"`);
    ev.record('pull', { phase: 'start', image });
    try {
      await this.#pull(ref, image, auths, signal);
      const after = await this.o.runtime.imageStatus(ref).catch(() => null);
      const took = formatGoDuration(this.o.now() - start);
      ev.event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${after?.size ?? 0} bytes.`);
      ev.record('pull', { phase: 'end', image, result: 'pulled' });
      this.o.onProgress?.(image, { status: 'Status: pulled' });
      this.#lastFailure.delete(key);
      this.#lastError.delete(key);
      return { ok: true, imageRef: ref };
    } catch (err) {
      const msg = errorLine(err);
      this.o.onProgress?.(image, { status: 'Status: failed' });
      // The pod is being deleted (the worker's context): no back-off, no failure events; termination takes over.
      if (signal?.aborted) return { ok: false, reason: 'ErrImagePull', message: 'context canceled' };
      if (present && this.o.offlineFallback && isRegistryUnavailable(err)) {
        ev.event('Warning', 'ImagePullFallback', `Failed to pull image "${image}": no registry answers; running the image already present on this machine (${msg})`);
        ev.record('pull', { phase: 'end', image, result: 'fallback', message: msg });
        this.o.onFallback?.(image, msg);
        return { ok: true, imageRef: ref };
      }
      const reason = err instanceof CriError && err.code === 'InvalidImageName' ? 'InvalidImageName' : 'ErrImagePull';
      this.o.backoff.next(key, this.o.now());
      this.#lastFailure.set(key, this.o.now());
      this.#lastError.set(key, msg);
      ev.event('Warning', 'Failed', `Failed to pull image "${image}": ${msg}`);
      ev.event('Warning', 'Failed', `Error: ${reason}`);
      ev.record('pull', { phase: 'end', image, result: 'failed', message: msg });
      return { ok: false, reason, message: msg };
    }
  }

  /** Pulls with each credential in turn until one works; the last failure is thrown. */
  async #pull(ref: string, image: string, auths: readonly AuthConfig[], signal?: AbortSignal): Promise<void> {
    const tries: (AuthConfig | undefined)[] = auths.length ? [...auths] : [undefined];
    let last: unknown;
    for (const auth of tries) {
      try {
        await this.o.runtime.pullImage(ref, auth, (p) => this.o.onProgress?.(image, p), signal);
        return;
      } catch (err) {
        last = err;
        if (signal?.aborted) break;
      }
    }
    throw last;
  }

  /** When the pull back-off for this pod's image ends (0 if none). */
  backoffEnd(pod: Pod, image: string): number {
    const key = `${pod.metadata?.uid}_${image}`;
    const at = this.#lastFailure.get(key);
    return at === undefined ? 0 : this.o.backoff.windowEnd(key, at);
  }

  /** Drops back-off entries idle past twice the maximum window, with what was kept for them (the GC timer). */
  gc(): void {
    this.o.backoff.gcStale();
    for (const key of this.#lastFailure.keys()) {
      if (!this.o.backoff.has(key)) { this.#lastFailure.delete(key); this.#lastError.delete(key); }
    }
  }

  /** Keys with a pull failure on record (tests: a soak of failing pulls does not grow this). */
  get failuresHeld(): number {
    return this.#lastFailure.size;
  }

  readonly #lastFailure = new Map<string, number>();
  readonly #lastError = new Map<string, string>();
}
