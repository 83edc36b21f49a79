// agent/sources/validate-util.ts — the small pieces every validation file shares: the FieldError shape, type
// guards, how a bad value is shown in a message, and how a field path grows.
// PURE; used by validate.ts, validate-structure.ts and validate-spec.ts.

export interface FieldError { field: string; message: string }
export type Obj = Record<string, unknown>;
export type Errs = FieldError[];

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const kindOf = (v: unknown): string => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
export const objs = (v: unknown): [Obj, number][] => (Array.isArray(v) ? v.map((x, i) => [x, i] as [unknown, number]).filter((e): e is [Obj, number] => isObj(e[0])) : []);

/** A value as a message quotes it: JSON, cut at 80 characters. */
export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** `path.key`, or `path[key]` when the key is not a plain word (map keys such as `app.kubernetes.io/name`). */
export const child = (path: string, k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${k}]`);
