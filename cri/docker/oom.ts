// cri/docker/oom.ts — a second opinion on Docker 20.10's State.OOMKilled, which a busy engine sometimes
// leaves false although the kernel OOM-killed the container (its `oom` event arrives around the `die` event,
// before or up to ~2 s after it, and the flag is lost).
//
// Owns: the check of Docker's event log for an `oom` event of one container, and a bounded memo of the
// answers. Called by containers.ts for containers that exited 137 under a memory limit with the flag false;
// nothing else pays for it. Never changes Docker state, and never waits longer than OOM_EVENT_GRACE_MS after
// the container finished. Containers this process stopped itself are exempt (a 137 then is our SIGKILL).
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { dockerTime } from './map-status.js';

/** How long after State.FinishedAt the `oom` event of the same exit may still arrive (seen: 1.6 s under load;
 *  on a host with a load of 50 on 2 CPUs more than 2 s, hence 5 s). */
export const OOM_EVENT_GRACE_MS = 5000;
const MEMO_LIMIT = 1000;
const memo = new Map<string, boolean>();

function remember(id: string, oom: boolean): void {
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  memo.set(id, oom);
}

/** Records that this process stopped the container itself: its 137 is our SIGKILL, not the kernel's. */
export function markStoppedByUs(id: string): void {
  remember(id, false);
}

/** True when Docker's flag is false but the container's exit may still be an OOM kill worth checking. */
export function mayBeUnflaggedOom(info: Dockerode.ContainerInspectInfo): boolean {
  const s = info.State;
  return !!s && !s.Running && !s.OOMKilled && s.ExitCode === 137 && (info.HostConfig?.Memory ?? 0) > 0
    && dockerTime(s.FinishedAt) > 0;
}

/** Looks for an `oom` event of the container between its start and shortly after its end. */
export async function oomEventSeen(d: Dockerode, info: Dockerode.ContainerInspectInfo, signal?: AbortSignal): Promise<boolean> {
  const known = memo.get(info.Id);
  if (known !== undefined) return known;
  const created = dockerTime(info.Created);
  const until = Math.max(Date.now(), dockerTime(info.State.FinishedAt) + OOM_EVENT_GRACE_MS);
  let seen = false;
  try {
    const stream = (await d.getEvents({
      since: Math.floor(created / 1000) - 1,
      until: until / 1000,
      filters: { type: ['container'], container: [info.Id], event: ['oom'] },
      abortSignal: signal,
    })) as unknown as Readable;
    for await (const chunk of stream) {
      if ((chunk as Buffer).toString('utf8').includes('"oom"')) { seen = true; stream.destroy(); break; }
    }
  } catch {
    return false; // no second opinion: Docker's flag stands (and is not memoised)
  }
  remember(info.Id, seen);
  return seen;
}
