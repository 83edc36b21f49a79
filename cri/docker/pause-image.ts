// cri/docker/pause-image.ts — which pause image the sandboxes run (--pod-infra-container-image).
//
// Owns: the default pause image, the local fallback built by `npm run setup`, and the one decision between
// them at start-up. Called once by agent/kubelet.ts before any sandbox is created. Never pulls more than
// once and never falls back silently: the fallback is logged, and with no usable image the error says how
// to get one.
import type { ImageService } from '../api.js';
import { CriError, errorLine } from '../errors.js';

export const DEFAULT_PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
export const LOCAL_PAUSE_IMAGE = 'mini-kubelet/pause:local';

async function present(images: ImageService, ref: string): Promise<boolean> {
  try {
    return (await images.imageStatus(ref)) !== null;
  } catch {
    return false;
  }
}

/**
 * The pause image to use: `requested` when present or pullable; for the default image only, the local
 * pause image when the pull fails. Throws CreatePodSandboxError when neither is available.
 */
export async function resolvePauseImage(images: ImageService, requested: string, log: (msg: string) => void): Promise<string> {
  if (await present(images, requested)) return requested;
  let pullFailure: string;
  try {
    await images.pullImage(requested);
    return requested;
  } catch (err) {
    pullFailure = errorLine(err);
  }
  if (requested === DEFAULT_PAUSE_IMAGE && (await present(images, LOCAL_PAUSE_IMAGE))) {
    log(`pause image ${requested} could not be pulled (${pullFailure}); using the local pause image ${LOCAL_PAUSE_IMAGE}`);
    return LOCAL_PAUSE_IMAGE;
  }
  const local = requested === DEFAULT_PAUSE_IMAGE ? ` and the local pause image ${LOCAL_PAUSE_IMAGE} is absent` : '';
  throw new CriError('CreatePodSandboxError',
    `pause image ${requested} is not present and could not be pulled (${pullFailure})${local}; `
    + `run \`npm run setup\` to build ${LOCAL_PAUSE_IMAGE}, or pass --pod-infra-container-image with an image that is present`);
}
