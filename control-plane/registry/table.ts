// control-plane/registry/table.ts — the server-side Table (`meta.k8s.io/v1 Table`) that `kubectl get` prints,
// built for any kind from its TableDef: column definitions (wide columns at priority 1; the server always
// fills every cell and kubectl hides what `-o wide` did not ask for), one row per object, and the row object
// as PartialObjectMetadata (or the whole object with `includeObject=Object`, none with `None`).
// Also the cell helpers the kinds' printers share: kubectl's duration format, AGE, `<none>`.
//
// PURE: objects and `now` in, JSON out.
import type { Cell, Column, KubeObject, TableDef } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string };
  columnDefinitions: readonly Column[] | null;
  rows: Array<{ cells: Cell[]; object?: unknown }>;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pair = (a: number, ua: string, b: number, ub: string): string => (b === 0 ? `${a}${ua}` : `${a}${ua}${b}${ub}`);

/** apimachinery's duration.HumanDuration: 45s, 119s, 3m20s, 10m, 4h5m, 30h, 2d3h, 20d, 2y10d, 9y. */
export function humanDuration(ms: number): string {
  const s = Math.trunc(ms / SECOND);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.trunc(ms / MINUTE);
  const h = Math.trunc(ms / HOUR);
  const d = Math.trunc(ms / DAY);
  if (m < 10) return pair(m, 'm', s % 60, 's');
  if (m < 180) return `${m}m`;
  if (h < 8) return pair(h, 'h', m % 60, 'm');
  if (h < 48) return `${h}h`;
  if (h < 8 * 24) return pair(d, 'd', h % 24, 'h');
  if (h < 2 * 365 * 24) return `${d}d`;
  const y = Math.trunc(d / 365);
  if (h < 8 * 365 * 24) return pair(y, 'y', d % 365, 'd');
  return `${y}y`;
}

/** translateTimestampSince: `<unknown>` for a missing time. */
export function since(ts: string | undefined | null, now: number): string {
  const t = ts ? Date.parse(ts) : Number.NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

export const orNone = (v: string | undefined | null): string => (v ? v : '<none>');

export const col = (name: string, description: string, opts: { priority?: number; type?: string; format?: string } = {}): Column =>
  ({ name, type: opts.type ?? 'string', ...(opts.format ? { format: opts.format } : {}), description, ...(opts.priority ? { priority: opts.priority } : {}) });

export const NAME_COLUMN = col('Name', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', { format: 'name' });
export const AGE_COLUMN = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.');

export const nameOf = (o: KubeObject): string => o.metadata?.name ?? '';
export const ageOf = (o: KubeObject, now: number): string => since(o.metadata?.creationTimestamp, now);

/** The row object: metadata only (what kubectl reads for -A, --show-labels, -L), or all of it, or nothing. */
function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata ?? {} };
}

export interface TableOptions {
  resourceVersion?: string;
  include?: IncludeObject;
  /** false: columnDefinitions null (watch events after the first). */
  columns?: boolean;
}

export function toTable(def: TableDef, items: readonly KubeObject[], now: number, opts: TableOptions = {}): Table {
  const include = opts.include ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.resourceVersion !== undefined ? { resourceVersion: opts.resourceVersion } : {},
    columnDefinitions: opts.columns === false ? null : def.columns,
    rows: items.map((o) => {
      const object = rowObject(o, include);
      return object === undefined ? { cells: def.cells(o, now) } : { cells: def.cells(o, now), object };
    }),
  };
}
