// cri/docker/images.ts — the CRI ImageService on Docker: pull, status, list, remove.
//
// Owns: pulling with progress and registry auth, reading pull failures out of the progress stream, the
// Image shape (tags, digests, size, USER, ENTRYPOINT/CMD, env, workdir, stop signal) and idempotent removal.
// Called by docker-runtime.ts (the agent's image manager decides when to pull). Never retries a pull and
// never pulls untagged names as "all tags": `:latest` is added first.
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { AuthConfig, Image, PullProgress } from '../api.js';
import { CriError } from '../errors.js';
import type { DockerContext } from './context.js';
import { docker, pullError, statusCodeOf, toCriError } from './map-errors.js';
import { isImageId, withDefaultTag } from './image-ref.js';

function invalid(ref: string): CriError {
  return new CriError('InvalidImageName', `couldn't parse image name "${ref}": invalid reference format`);
}

function asList(v: string | string[] | undefined | null): string[] {
  if (!v) return [];
  return Array.isArray(v) ? [...v] : [v];
}

export function imageOf(info: Dockerode.ImageInspectInfo): Image {
  const c = info.Config ?? ({} as Partial<Dockerode.ImageInspectInfo['Config']>);
  return {
    id: info.Id,
    repoTags: (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    repoDigests: (info.RepoDigests ?? []).filter((d) => !d.startsWith('<none>')),
    size: info.Size ?? 0,
    user: c.User ?? '',
    entrypoint: asList(c.Entrypoint),
    cmd: asList(c.Cmd),
    env: c.Env ?? [],
    workingDir: c.WorkingDir ?? '',
    stopSignal: (c as { StopSignal?: string }).StopSignal ?? '',
  };
}

function toAuth(auth: AuthConfig | undefined): Record<string, string> | undefined {
  if (!auth) return undefined;
  const out: Record<string, string> = {};
  if (auth.username) out.username = auth.username;
  if (auth.password) out.password = auth.password;
  if (auth.auth) out.auth = auth.auth;
  if (auth.serverAddress) out.serveraddress = auth.serverAddress;
  if (auth.identityToken) out.identitytoken = auth.identityToken;
  if (auth.registryToken) out.registrytoken = auth.registryToken;
  return Object.keys(out).length ? out : undefined;
}

interface ProgressLine {
  readonly id?: string;
  readonly status?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

/** Reads the pull's JSON-lines stream to its end; rejects with the first error line. */
async function followPull(stream: Readable, onProgress?: (p: PullProgress) => void): Promise<void> {
  let pending = '';
  const handle = (line: string) => {
    if (!line.trim()) return;
    let msg: ProgressLine;
    try { msg = JSON.parse(line) as ProgressLine; } catch { return; }
    if (msg.error || msg.errorDetail?.message) throw Object.assign(new Error(msg.errorDetail?.message ?? msg.error), { pullStream: true });
    if (onProgress && msg.status) {
      const d = msg.progressDetail;
      onProgress({ status: msg.status, ...(msg.id ? { id: msg.id } : {}), ...(d?.current !== undefined ? { current: d.current } : {}), ...(d?.total !== undefined ? { total: d.total } : {}) });
    }
  };
  for await (const chunk of stream) {
    pending += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      handle(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  }
  handle(pending);
}

export async function pullImage(
  ctx: DockerContext, ref: string, auth?: AuthConfig, onProgress?: (p: PullProgress) => void, signal?: AbortSignal,
): Promise<string> {
  const full = withDefaultTag(ref);
  if (!full) throw invalid(ref);
  try {
    const stream = (await ctx.docker.createImage(toAuth(auth), { fromImage: full, abortSignal: signal })) as unknown as Readable;
    // The caller gave up (pod deleted): stop reading at once; the engine drops a pull nobody reads.
    const onAbort = () => stream.destroy(new CriError('DeadlineExceeded', `pull of "${full}" cancelled`));
    signal?.addEventListener('abort', onAbort, { once: true });
    try { await followPull(stream, onProgress); } finally { signal?.removeEventListener('abort', onAbort); }
    if (signal?.aborted) throw new CriError('DeadlineExceeded', `pull of "${full}" cancelled`);
  } catch (err) {
    throw pullError(err, full);
  }
  const info = await imageStatus(ctx, full, signal);
  if (!info) throw new CriError('ErrImagePull', `failed to pull image "${full}": the image is not present after the pull`);
  return info.id;
}

/** The image, or null when it is not present. */
export async function imageStatus(ctx: DockerContext, ref: string, signal?: AbortSignal): Promise<Image | null> {
  const name = isImageId(ref) ? ref : withDefaultTag(ref);
  if (!name) throw invalid(ref);
  // dockerode's image inspect ignores the signal: a caller that already gave up gets its abort at once.
  signal?.throwIfAborted();
  try {
    return imageOf(await ctx.docker.getImage(name).inspect({ abortSignal: signal } as Dockerode.ImageInspectOptions));
  } catch (err) {
    if (statusCodeOf(err) === 404) return null;
    throw toCriError(err, { op: `inspect image "${ref}"`, fallback: 'ImageInspectError', badRequest: 'InvalidImageName' });
  }
}

export async function listImages(ctx: DockerContext, signal?: AbortSignal): Promise<Image[]> {
  const summaries = await docker({ op: 'list images' }, () => ctx.docker.listImages({ abortSignal: signal } as Dockerode.ListImagesOptions));
  const images = await Promise.all(summaries.map((s) => imageStatus(ctx, s.Id, signal).catch(() => null)));
  return images.filter((i): i is Image => i !== null);
}

/** Removes the image (by tag, digest or id). A missing image is fine. */
export async function removeImage(ctx: DockerContext, ref: string, signal?: AbortSignal): Promise<void> {
  const name = isImageId(ref) ? ref : withDefaultTag(ref);
  if (!name) throw invalid(ref);
  try {
    await ctx.docker.getImage(name).remove({ abortSignal: signal } as Dockerode.ImageRemoveOptions);
  } catch (err) {
    if (statusCodeOf(err) === 404) return;
    throw toCriError(err, { op: `remove image "${ref}"`, badRequest: 'InvalidImageName' });
  }
}
