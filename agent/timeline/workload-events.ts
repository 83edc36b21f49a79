// agent/timeline/workload-events.ts — PURE: core/v1 Events as the workload timeline reads them. Each Event
// gets a millisecond time (eventTime, else the hex time in its name as event recorders write it, else its
// whole-second firstTimestamp, marked approximate) and what a controller's message says: a ReplicaSet
// scaled from → to (ScalingReplicaSet, both wordings), a pod or Job created or deleted (the ReplicaSet/Job/
// DaemonSet "Created pod: x", the StatefulSet "create Pod web-0 in StatefulSet web successful", the CronJob
// "Created job x" / "Deleted job x").
import type { Event } from '../api/v1.js';

export interface ObjectKey { readonly kind: string; readonly name: string; readonly uid?: string }

export interface TimedEvent {
  readonly time: number;
  /** Only the whole second is known. */
  readonly approximate: boolean;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly involved: ObjectKey;
  /** The component that posted it (deployment-controller, kubelet, default-scheduler …). */
  readonly source: string;
}

/** What a controller's event says it did. */
export type Action =
  | { readonly op: 'scale'; readonly target: string; readonly from?: number; readonly to: number }
  | { readonly op: 'createPod' | 'deletePod' | 'createJob' | 'deleteJob'; readonly target: string };

/** RFC3339 (with or without fraction) → ms; null, empty and the zero time → undefined. */
export const ms = (t: string | null | undefined): number | undefined => {
  const v = t ? Date.parse(t) : NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

/**
 * The instant an Event was first posted. Recorders name an Event `<object>.<hex time>` (client-go: unix
 * nanoseconds; this project's controllers: milliseconds then 3 hex digits of sequence); either reading is
 * used when it falls in the whole second of firstTimestamp.
 */
export function eventInstant(ev: Event): { time: number; approximate: boolean } | undefined {
  const precise = ms(ev.eventTime as string | undefined);
  if (precise !== undefined) return { time: precise, approximate: false };
  const first = ms(ev.firstTimestamp) ?? ms(ev.lastTimestamp) ?? ms(ev.metadata?.creationTimestamp);
  if (first === undefined) return undefined;
  const hex = /\.([0-9a-f]{12,})$/.exec(ev.metadata?.name ?? '')?.[1];
  if (hex) {
    for (const t of [parseInt(hex, 16) / 1e6, parseInt(hex.slice(0, -3), 16)]) {
      if (t >= first && t < first + 1000) return { time: Math.round(t), approximate: false };
    }
  }
  return { time: first, approximate: true };
}

export function timeEvents(raw: readonly Event[]): TimedEvent[] {
  const out: TimedEvent[] = [];
  for (const ev of raw) {
    const at = eventInstant(ev);
    const io = ev.involvedObject;
    if (!at || !io?.name) continue;
    out.push({
      ...at, type: ev.type ?? 'Normal', reason: ev.reason ?? '', message: ev.message ?? '', count: ev.count ?? 1,
      involved: { kind: io.kind ?? '', name: io.name, ...(io.uid ? { uid: io.uid } : {}) },
      source: ev.source?.component ?? ev.reportingComponent ?? '',
    });
  }
  return out.sort((a, b) => a.time - b.time);
}

const SCALED = [
  // 1.31+: "Scaled up replica set web-5d8f from 0 to 2", "Scaled down replica set web-5d8f from 2 to 1"
  /^Scaled (?:up|down) replica set (\S+) from (\d+) to (\d+)$/,
  // 1.28–1.30: "Scaled up replica set web-5d8f to 2 from 1", and at creation "… to 2"
  /^Scaled (?:up|down) replica set (\S+) to (\d+)(?: from (\d+))?$/,
];

export function actionOf(e: TimedEvent): Action | undefined {
  const m = e.message;
  if (e.reason === 'ScalingReplicaSet') {
    let r = SCALED[0]!.exec(m);
    if (r) return { op: 'scale', target: r[1]!, from: Number(r[2]), to: Number(r[3]) };
    r = SCALED[1]!.exec(m);
    if (r) return { op: 'scale', target: r[1]!, to: Number(r[2]), ...(r[3] !== undefined ? { from: Number(r[3]) } : {}) };
    return undefined;
  }
  if (e.reason !== 'SuccessfulCreate' && e.reason !== 'SuccessfulDelete') return undefined;
  const create = e.reason === 'SuccessfulCreate';
  let r = /^(?:Created|Deleted) pod: (\S+)$/.exec(m) ?? /^(?:create|delete) Pod (\S+) in \S+ \S+ successful$/.exec(m);
  if (r) return { op: create ? 'createPod' : 'deletePod', target: r[1]! };
  r = /^(?:Created|Deleted) job:? (\S+)$/.exec(m);
  if (r) return { op: create ? 'createJob' : 'deleteJob', target: r[1]! };
  return undefined;
}
