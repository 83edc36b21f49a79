// agent/spec-support/classify.ts — which fields a pod uses, and how mini-kubelet treats each (fields.ts):
// the report of `mini-kubelet check`, the agent's one log line per pod about ignored fields, and `--strict`.
//
// classifyPod walks the pod against the table and returns one entry per used field with its concrete path
// (`spec.containers[0].securityContext.runAsUser`) and its pattern (`spec.containers[].securityContext…`).
// ignoredFields / strictViolations / applyStrict are what the agent's wiring calls. Pure.
import type { Pod } from '../api/v1.js';
import type { DecodedManifest } from '../sources/manifest.js';
import type { FieldError } from '../sources/validate.js';
import { POD_FIELDS, type Node, type Support } from './fields.js';
import { forbiddenSysctl } from './sysctls.js';

export interface FieldUse {
  readonly path: string;
  readonly pattern: string;
  readonly support: Support;
  readonly note?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const unused = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0);
const key = (path: string, k: string): string => (/^[A-Za-z0-9_-]+$/.test(k) ? (path ? `${path}.${k}` : k) : `${path}[${JSON.stringify(k)}]`);

const UNKNOWN = 'not a Pod field mini-kubelet knows (a typo, or newer than Kubernetes 1.34): it has no effect';

function walk(node: Node, v: unknown, parent: Obj, path: string, pattern: string, out: FieldUse[]): void {
  if (node.kind === 'leaf') {
    if (node.silent || unused(v) || node.isDefault?.(v)) return;
    const d = node.decide?.(v, parent);
    out.push({ path, pattern, support: d?.support ?? node.support, ...((d ? d.note : node.note) ? { note: d ? d.note : node.note } : {}) });
    return;
  }
  if (node.kind === 'list') {
    if (!Array.isArray(v)) { if (!unused(v)) walk({ kind: 'leaf', support: 'honoured' }, v, parent, path, pattern, out); return; }
    v.forEach((item, i) => walk(node.item, item, parent, `${path}[${i}]`, `${pattern}[]`, out));
    return;
  }
  if (!isObj(v)) {
    if (v !== undefined && v !== null) out.push({ path, pattern, support: 'honoured' });
    return;
  }
  const before = out.length;
  for (const [k, x] of Object.entries(v)) {
    const child = node.fields[k] ?? node.fields['*'];
    if (child) walk(child, x, v, key(path, k), key(pattern, k), out);
    else if (!unused(x)) out.push({ path: key(path, k), pattern: key(pattern, k), support: 'ignored', note: UNKNOWN });
  }
  if (out.length === before && node.reportEmpty) out.push({ path, pattern, support: 'honoured' });
}

/** A pattern cut to the level `check` lists honoured fields at (`spec.containers[].volumeMounts`). */
export function summaryPattern(pattern: string): string {
  const parts = pattern.split('.');
  const keep = parts[0] === 'spec' && /^(containers|initContainers)\[\]$/.test(parts[1] ?? '') && /^(securityContext|resources|lifecycle)$/.test(parts[2] ?? '') ? 4
    : parts[0] === 'spec' && /\[\]$/.test(parts[1] ?? '') ? 3
      : parts[0] === 'spec' && parts[1] === 'securityContext' ? 3 : 2;
  return parts.slice(0, keep).join('.').replace(/\[\]$/, '');
}

/** Every field the pod uses, with how mini-kubelet treats it, in the pod's own order. */
export function classifyPod(pod: Pod): FieldUse[] {
  const out: FieldUse[] = [];
  walk(POD_FIELDS, pod, {}, '', '', out);
  return out;
}

/** The paths of the ignored fields the pod uses (the agent logs them once when it starts the pod). */
export function ignoredFields(pod: Pod): string[] {
  return classifyPod(pod).filter((f) => f.support === 'ignored').map((f) => f.path);
}

/** `--strict`: one field error per ignored field the pod uses. */
export function strictFieldErrors(pod: Pod): FieldError[] {
  return classifyPod(pod).filter((f) => f.support === 'ignored').map((f) => ({
    field: f.path,
    message: `Forbidden: mini-kubelet ignores this field${f.note ? ` (${f.note})` : ''}, and --strict refuses pods that use ignored fields`,
  }));
}

/** `--strict`: `<field>: <message>` lines; empty when the pod may run. */
export function strictViolations(pod: Pod): string[] {
  return strictFieldErrors(pod).map((e) => `${e.field}: ${e.message}`);
}

/** `--strict` for a decoded manifest: pods with ignored fields move to the errors (the agent's sources). */
export function applyStrict(decoded: DecodedManifest): DecodedManifest {
  const pods: DecodedManifest['pods'] = [];
  const errors = [...decoded.errors];
  for (const p of decoded.pods) {
    const errs = strictFieldErrors(p.pod);
    if (!errs.length) pods.push(p);
    else errors.push(...errs.map((e) => ({ origin: p.origin, field: e.field, message: e.message })));
  }
  return { ...decoded, pods, errors };
}

/** Problems the agent would refuse the pod for at admission (mini-kubelet check reports them as errors). */
export function admissionProblems(pod: Pod): FieldError[] {
  const sysctl = forbiddenSysctl(pod);
  return sysctl ? [{ field: 'spec.securityContext.sysctls', message: `${sysctl} (the pod would be rejected: SysctlForbidden)` }] : [];
}
