// cri/docker/events.ts — runtime events (CRI GetContainerEvents) from Docker's event stream.
//
// Owns: the event filter (our containers only: create/start/die/destroy of containers with the managed label
// and this runtime's extra labels, i.e. its node's: other agents on the same engine are not ours), JSON-lines
// parsing, and the map to CRI event types with sandbox flag and pod UID from the container labels. Called by
// docker-runtime.ts; the agent's PLEG consumes it. Never retries or reconnects: the iterable ends when the
// stream breaks, and the PLEG relists and calls again.
import type { Readable } from 'node:stream';
import type { ContainerEvent, ContainerEventType } from '../api.js';
import type { DockerContext } from './context.js';
import { toCriError } from './map-errors.js';
import { LABEL_DOCKER_TYPE, LABEL_MANAGED, LABEL_POD_UID, TYPE_SANDBOX } from './metadata-labels.js';

const TYPES: Readonly<Record<string, ContainerEventType>> = {
  create: 'CONTAINER_CREATED_EVENT',
  start: 'CONTAINER_STARTED_EVENT',
  die: 'CONTAINER_STOPPED_EVENT',
  destroy: 'CONTAINER_DELETED_EVENT',
};

interface DockerEvent {
  readonly Type?: string;
  readonly Action?: string;
  readonly Actor?: { readonly ID?: string; readonly Attributes?: Readonly<Record<string, string>> };
  readonly time?: number;
  readonly timeNano?: number;
}

/** Maps one Docker event to a CRI event, or undefined for events we do not report. */
export function toContainerEvent(ev: DockerEvent): ContainerEvent | undefined {
  const type = ev.Type === 'container' && ev.Action ? TYPES[ev.Action] : undefined;
  const id = ev.Actor?.ID;
  if (!type || !id) return undefined;
  const attrs = ev.Actor?.Attributes ?? {};
  const uid = attrs[LABEL_POD_UID];
  return {
    containerId: id,
    type,
    isSandbox: attrs[LABEL_DOCKER_TYPE] === TYPE_SANDBOX,
    ...(uid ? { podUid: uid } : {}),
    createdAt: ev.timeNano ? Math.floor(ev.timeNano / 1e6) : (ev.time ?? 0) * 1000,
  };
}

export async function* events(ctx: DockerContext, signal: AbortSignal): AsyncGenerator<ContainerEvent> {
  if (signal.aborted) return;
  // `since` = now: Docker replays what happens while the connection is being set up, so a caller that
  // subscribes and then acts never misses the first events.
  const since = Math.floor(Date.now()) / 1000;
  let stream: Readable;
  try {
    stream = (await ctx.docker.getEvents({
      since,
      filters: { type: ['container'], event: Object.keys(TYPES), label: [`${LABEL_MANAGED}=true`, ...Object.entries(ctx.extraLabels).map(([k, v]) => `${k}=${v}`)] },
      abortSignal: signal,
    })) as unknown as Readable;
  } catch (err) {
    if (signal.aborted) return;
    throw toCriError(err, { op: 'watch runtime events', fallback: 'RuntimeUnavailable' });
  }
  const stop = () => stream.destroy();
  signal.addEventListener('abort', stop, { once: true });
  let pending = '';
  try {
    for await (const chunk of stream) {
      pending += (chunk as Buffer).toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (!line) continue;
        let parsed: DockerEvent;
        try { parsed = JSON.parse(line) as DockerEvent; } catch { continue; }
        const ev = toContainerEvent(parsed);
        if (ev) yield ev;
      }
    }
  } catch {
    // The connection broke or the signal aborted: the stream is over either way.
  } finally {
    signal.removeEventListener('abort', stop);
    stream.destroy();
  }
}
