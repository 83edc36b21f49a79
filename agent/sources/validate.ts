// agent/sources/validate.ts — Kubernetes Pod validation with exact field paths (the ValidatePod rules that
// matter on one node), plus the light checks for ConfigMap and Secret documents.
//
// Two passes over the pod as written or as defaulted (absent fields that defaulting fills are accepted):
//  1. structure (validate-structure.ts): types and unknown fields, with hints, like the API server's strict
//     decoding;
//  2. the semantic rules of pkg/apis/core/validation (here, and validate-spec.ts for the rest of the spec).
//     A value of the wrong type is reported once, by pass 1.
// Messages follow Kubernetes' `<type>: <detail>` form: `Required value`, `Forbidden: …`, `Duplicate value: "x"`,
// `Unsupported value: "x": supported values: …`, `Not found: "x"`, and `Invalid value: "x": …` when the bad value
// is a string; for a number only the rule is stated (`must be 1`), the number being right there in the file.
import type { Pod } from '../api/v1.js';
import { parseQuantity } from '../util/quantity.js';
import { validateSpecExtras } from './validate-spec.js';
import { dnsNameErrors, portNameErrors, validateMeta } from './validate-names.js';
import { checkValue, closest, configMapShape, podShape, secretShape, VOLUME_SOURCES } from './validate-structure.js';
import { child, int, isObj, kindOf, objs, show, str, type Errs, type FieldError, type Obj } from './validate-util.js';

export { isObj, show, type FieldError } from './validate-util.js';
export { dnsNameErrors } from './validate-names.js';

// ---- pass 2: rules -----------------------------------------------------------------------------------
const absent = (v: unknown): boolean => v === undefined || v === null || v === '';
const invalid = (v: unknown, detail: string): string => (typeof v === 'string' ? `Invalid value: ${show(v)}: ${detail}` : detail);
const supported = (v: string, values: string[]): string => {
  const near = values.find((s) => s.toLowerCase() === v.toLowerCase()) ?? closest(v, values);
  return `Unsupported value: ${show(v)}: supported values: ${values.map((s) => `"${s}"`).join(', ')}${near ? `; did you mean "${near}"?` : ''}`;
};

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_MSG = `a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`;
const CONFIG_KEY_MSG = `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`;
const QUANTITY = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;

/** One of `kinds` set: none → Required at `path`; more → Forbidden at each extra. */
function exactlyOne(o: Obj, kinds: string[], path: string, what: string, errs: Errs): string | undefined {
  const set = kinds.filter((k) => o[k] !== undefined && o[k] !== null);
  if (!set.length) errs.push({ field: path, message: `Required value: must specify a ${what} type` });
  for (const k of set.slice(1)) errs.push({ field: `${path}.${k}`, message: `Forbidden: may not specify more than 1 ${what} type` });
  return set[0];
}
function validatePort(v: unknown, path: string, errs: Errs): void {
  if (absent(v)) errs.push({ field: path, message: 'Required value' });
  else if (int(v) !== undefined && (int(v)! < 1 || int(v)! > 65535)) errs.push({ field: path, message: 'must be between 1 and 65535, inclusive' });
  else if (typeof v === 'string') for (const msg of portNameErrors(v)) errs.push({ field: path, message: invalid(v, msg) });
}
function validateAction(h: Obj, kind: string, path: string, errs: Errs, grace: number): void {
  const a = h[kind];
  if (!isObj(a)) return;
  const p = `${path}.${kind}`;
  if (kind === 'exec' && (absent(a.command) || (Array.isArray(a.command) && !a.command.length))) errs.push({ field: `${p}.command`, message: 'Required value' });
  if (kind === 'httpGet' || kind === 'tcpSocket') validatePort(a.port, `${p}.port`, errs);
  if (kind === 'httpGet' && str(a.scheme) && !['HTTP', 'HTTPS'].includes(a.scheme as string)) errs.push({ field: `${p}.scheme`, message: supported(a.scheme as string, ['HTTP', 'HTTPS']) });
  if (kind === 'grpc') { const n = int(a.port); if (absent(a.port)) errs.push({ field: `${p}.port`, message: 'Required value' }); else if (n !== undefined && (n < 1 || n > 65535)) errs.push({ field: `${p}.port`, message: 'must be between 1 and 65535, inclusive' }); }
  if (kind === 'sleep') {
    const s = int(a.seconds);
    if (s !== undefined && (s < 0 || s > grace)) errs.push({ field: `${p}.seconds`, message: `must be non-negative and less than terminationGracePeriodSeconds (${grace})` });
  }
}
function validateProbe(pr: Obj, type: 'liveness' | 'readiness' | 'startup', path: string, errs: Errs): void {
  const handler = exactlyOne(pr, ['exec', 'httpGet', 'tcpSocket', 'grpc'], path, 'handler', errs);
  if (handler) validateAction(pr, handler, path, errs, 0);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if ((int(pr[f]) ?? 0) < 0) errs.push({ field: `${path}.${f}`, message: 'must be greater than or equal to 0' });
  }
  if (type !== 'readiness' && int(pr.successThreshold) !== undefined && pr.successThreshold !== 1) errs.push({ field: `${path}.successThreshold`, message: 'must be 1' });
  const tg = int(pr.terminationGracePeriodSeconds);
  if (tg !== undefined && type === 'readiness') errs.push({ field: `${path}.terminationGracePeriodSeconds`, message: 'must not be set for readinessProbes' });
  else if (tg !== undefined && tg <= 0) errs.push({ field: `${path}.terminationGracePeriodSeconds`, message: 'must be greater than 0' });
}

function validateResources(r: Obj, path: string, errs: Errs): void {
  const parsed: Record<string, Record<string, number>> = {};
  for (const kind of ['limits', 'requests']) {
    const m = isObj(r[kind]) ? (r[kind] as Obj) : {};
    parsed[kind] = {};
    for (const [name, q] of Object.entries(m)) {
      const field = child(`${path}.${kind}`, name);
      if (!/\//.test(name) && !/^(cpu|memory|ephemeral-storage|hugepages-.+)$/.test(name)) {
        const near = closest(name, ['cpu', 'memory', 'ephemeral-storage']);
        errs.push({ field, message: invalid(name, `must be a standard resource type or fully qualified${near ? `; did you mean "${near}"?` : ''}`) });
      }
      if (typeof q !== 'string' && typeof q !== 'number') continue;
      const text = String(q);
      if (!QUANTITY.test(text.trim())) {
        const fix = text.replace(/^([\d.]+)\s*([kKmMgGtTpPeE])[bB]$/, (_, n: string, u: string) => `${n}${u.toUpperCase()}i`);
        errs.push({ field, message: `Invalid value: ${show(q)}: must be a quantity such as 500m, 128Mi or 1Gi (suffixes n u m k M G T P E Ki Mi Gi Ti Pi Ei)${fix !== text ? `; did you mean "${fix}"?` : ''}` });
      } else if (parseQuantity(text) < 0) errs.push({ field, message: invalid(q, 'must be greater than or equal to 0') });
      else parsed[kind]![name] = parseQuantity(text);
    }
  }
  for (const [name, req] of Object.entries(parsed.requests!)) {
    const lim = parsed.limits![name];
    if (lim !== undefined && req > lim) errs.push({ field: child(`${path}.requests`, name), message: invalid(String((r.requests as Obj)[name]), `must be less than or equal to ${name} limit of ${String((r.limits as Obj)[name])}`) });
  }
}

function validateContainer(c: Obj, path: string, init: boolean, vols: Set<string>, spec: Obj, errs: Errs): void {
  if (absent(c.image)) errs.push({ field: `${path}.image`, message: 'Required value' });
  else if (str(c.image) && c.image !== (c.image as string).trim()) errs.push({ field: `${path}.image`, message: invalid(c.image, 'must not have leading or trailing whitespace') });
  const enumCheck = (f: string, values: string[]): void => { const v = str(c[f]); if (v !== undefined && !values.includes(v)) errs.push({ field: `${path}.${f}`, message: supported(v, values) }); };
  enumCheck('imagePullPolicy', ['Always', 'IfNotPresent', 'Never']);
  enumCheck('terminationMessagePolicy', ['File', 'FallbackToLogsOnError']);
  const sidecar = init && c.restartPolicy === 'Always';
  if (init) enumCheck('restartPolicy', ['Always']);
  else if (c.restartPolicy != null) errs.push({ field: `${path}.restartPolicy`, message: 'Forbidden: may not be set for non-init containers' });

  const portNames = new Set<string>();
  for (const [p, i] of objs(c.ports)) {
    const pp = `${path}.ports[${i}]`;
    const cp = int(p.containerPort);
    if (absent(p.containerPort)) errs.push({ field: `${pp}.containerPort`, message: 'Required value' });
    else if (cp !== undefined && (cp < 1 || cp > 65535)) errs.push({ field: `${pp}.containerPort`, message: 'must be between 1 and 65535, inclusive' });
    const hp = int(p.hostPort);
    if (hp !== undefined && hp !== 0 && (hp < 1 || hp > 65535)) errs.push({ field: `${pp}.hostPort`, message: 'must be between 1 and 65535, inclusive' });
    if (spec.hostNetwork === true && hp !== undefined && cp !== undefined && hp !== cp) {
      errs.push({ field: `${pp}.hostPort`, message: 'must match `containerPort` when `hostNetwork` is true' });
    }
    if (str(p.protocol) !== undefined && !['SCTP', 'TCP', 'UDP'].includes(p.protocol as string)) errs.push({ field: `${pp}.protocol`, message: supported(p.protocol as string, ['SCTP', 'TCP', 'UDP']) });
    const name = str(p.name);
    if (name) {
      for (const msg of portNameErrors(name)) errs.push({ field: `${pp}.name`, message: invalid(name, msg) });
      if (portNames.has(name)) errs.push({ field: `${pp}.name`, message: `Duplicate value: ${show(name)}` });
      portNames.add(name);
    }
  }
  for (const [e, i] of objs(c.env)) {
    const ep = `${path}.env[${i}]`;
    if (absent(e.name)) errs.push({ field: `${ep}.name`, message: 'Required value' });
    else if (str(e.name) && !ENV_NAME.test(e.name as string)) errs.push({ field: `${ep}.name`, message: invalid(e.name, ENV_MSG) });
    if (isObj(e.valueFrom)) {
      if (!absent(e.value)) errs.push({ field: `${ep}.valueFrom`, message: 'Invalid value: "": may not be specified when `value` is not empty' });
      const n = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isObj((e.valueFrom as Obj)[k])).length;
      if (n !== 1) errs.push({ field: `${ep}.valueFrom`, message: n ? 'Invalid value: "": may not have more than one field specified at a time' : 'Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`' });
    }
  }
  const mountPaths = new Set<string>();
  for (const [m, i] of objs(c.volumeMounts)) {
    const mp = `${path}.volumeMounts[${i}]`;
    if (absent(m.name)) errs.push({ field: `${mp}.name`, message: 'Required value' });
    else if (str(m.name) && !vols.has(m.name as string)) errs.push({ field: `${mp}.name`, message: `Not found: ${show(m.name)}` });
    const at = str(m.mountPath);
    if (absent(m.mountPath)) errs.push({ field: `${mp}.mountPath`, message: 'Required value' });
    else if (at !== undefined && !at.startsWith('/')) errs.push({ field: `${mp}.mountPath`, message: invalid(at, `must be an absolute path; try "/${at}"`) });
    else if (at !== undefined && mountPaths.has(at)) errs.push({ field: `${mp}.mountPath`, message: invalid(at, 'must be unique') });
    if (at) mountPaths.add(at);
    const sub = str(m.subPath);
    if (sub && sub.startsWith('/')) errs.push({ field: `${mp}.subPath`, message: invalid(sub, 'must be a relative path') });
    else if (sub && sub.split('/').includes('..')) errs.push({ field: `${mp}.subPath`, message: invalid(sub, "must not contain '..'") });
  }
  if (isObj(c.resources)) validateResources(c.resources, `${path}.resources`, errs);

  const grace = int(spec.terminationGracePeriodSeconds) ?? 30;
  for (const type of ['liveness', 'readiness', 'startup'] as const) {
    const pr = c[`${type}Probe`];
    if (pr == null) continue;
    if (init && !sidecar) errs.push({ field: `${path}.${type}Probe`, message: 'Forbidden: may not be set for init containers without restartPolicy=Always' });
    else if (isObj(pr)) validateProbe(pr, type, `${path}.${type}Probe`, errs);
  }
  if (c.lifecycle == null) return;
  if (init && !sidecar) { errs.push({ field: `${path}.lifecycle`, message: 'Forbidden: may not be set for init containers without restartPolicy=Always' }); return; }
  if (!isObj(c.lifecycle)) return;
  for (const when of ['postStart', 'preStop']) {
    const h = c.lifecycle[when];
    if (!isObj(h)) continue;
    const hp = `${path}.lifecycle.${when}`;
    const kind = exactlyOne(h, ['exec', 'httpGet', 'tcpSocket', 'sleep'], hp, 'handler', errs);
    if (kind) validateAction(h, kind, hp, errs, grace); // tcpSocket passes here and is refused when the hook runs
  }
}

function validateVolumes(spec: Obj, errs: Errs): Set<string> {
  const names = new Set<string>();
  for (const [v, i] of objs(spec.volumes)) {
    const vp = `spec.volumes[${i}]`;
    const name = str(v.name);
    if (absent(v.name)) errs.push({ field: `${vp}.name`, message: 'Required value' });
    else if (name !== undefined) {
      errs.push(...dnsNameErrors(`${vp}.name`, name, 'label'));
      if (names.has(name)) errs.push({ field: `${vp}.name`, message: `Duplicate value: ${show(name)}` });
      names.add(name);
    }
    const kind = exactlyOne(v, VOLUME_SOURCES, vp, 'volume', errs);
    const src = kind ? v[kind] : undefined;
    if (!isObj(src)) continue;
    const sp = `${vp}.${kind}`;
    if (kind === 'hostPath') {
      if (absent(src.path)) errs.push({ field: `${sp}.path`, message: 'Required value' });
      else if (str(src.path)?.split('/').includes('..')) errs.push({ field: `${sp}.path`, message: invalid(src.path, "must not contain '..'") });
      const types = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
      if (str(src.type) !== undefined && !types.includes(src.type as string)) errs.push({ field: `${sp}.type`, message: supported(src.type as string, types.slice(1)) });
    }
    if (kind === 'configMap' && absent(src.name)) errs.push({ field: `${sp}.name`, message: 'Required value' });
    if (kind === 'secret' && absent(src.secretName)) errs.push({ field: `${sp}.secretName`, message: 'Required value' });
    const mode = int(src.defaultMode);
    if (mode !== undefined && (mode < 0 || mode > 0o777)) errs.push({ field: `${sp}.defaultMode`, message: 'must be a number between 0 and 0777 (octal), both inclusive' });
  }
  return names;
}

function validateSpec(spec: Obj, errs: Errs): void {
  const vols = validateVolumes(spec, errs);
  validateSpecExtras(spec, errs);
  if (spec.containers == null || (Array.isArray(spec.containers) && !spec.containers.length)) errs.push({ field: 'spec.containers', message: 'Required value' });
  const seen = new Set<string>();
  for (const [list, init] of [['initContainers', true], ['containers', false]] as const) {
    for (const [c, i] of objs(spec[list])) {
      const path = `spec.${list}[${i}]`;
      const name = str(c.name);
      if (absent(c.name)) errs.push({ field: `${path}.name`, message: 'Required value' });
      else if (name !== undefined) {
        errs.push(...dnsNameErrors(`${path}.name`, name, 'label'));
        if (seen.has(name)) errs.push({ field: `${path}.name`, message: `Duplicate value: ${show(name)}` });
        seen.add(name);
      }
      validateContainer(c, path, init, vols, spec, errs);
    }
  }
  const rp = str(spec.restartPolicy);
  if (rp !== undefined) { if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push({ field: 'spec.restartPolicy', message: supported(rp, ['Always', 'OnFailure', 'Never']) }); }
  const dp = str(spec.dnsPolicy);
  if (dp !== undefined && !['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(dp)) errs.push({ field: 'spec.dnsPolicy', message: supported(dp, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']) });
  if (dp === 'None') {
    const dc = spec.dnsConfig;
    if (dc == null) errs.push({ field: 'spec.dnsConfig', message: 'Required value: must provide `dnsConfig` when `dnsPolicy` is None' });
    else if (isObj(dc) && !(Array.isArray(dc.nameservers) && dc.nameservers.length)) errs.push({ field: 'spec.dnsConfig.nameservers', message: 'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None' });
  }
  if (isObj(spec.dnsConfig) && Array.isArray(spec.dnsConfig.nameservers) && spec.dnsConfig.nameservers.length > 3) {
    errs.push({ field: 'spec.dnsConfig.nameservers', message: `must not have more than 3 nameservers` });
  }
  if ((int(spec.terminationGracePeriodSeconds) ?? 0) < 0) errs.push({ field: 'spec.terminationGracePeriodSeconds', message: 'must be greater than or equal to 0' });
  const ad = int(spec.activeDeadlineSeconds);
  if (ad !== undefined && (ad < 1 || ad > 2147483647)) errs.push({ field: 'spec.activeDeadlineSeconds', message: 'must be between 1 and 2147483647, inclusive' });
}

function dedupe(errs: Errs): Errs {
  const seen = new Set<string>();
  return errs.filter((e) => { const k = `${e.field}\n${e.message}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

/** Validates a Pod (as written or defaulted); [] when valid. */
export function validatePod(pod: Pod): FieldError[] {
  const p: unknown = pod;
  if (!isObj(p)) return [{ field: '', message: `must be an object, not ${kindOf(p)}` }];
  const errs: Errs = [];
  checkValue(p, podShape, '', '', undefined, errs);
  validateMeta(p.metadata, errs);
  if (p.spec == null) errs.push({ field: 'spec', message: 'Required value' });
  else if (isObj(p.spec)) validateSpec(p.spec, errs);
  return dedupe(errs);
}

/** Validates a ConfigMap or Secret document: fields, name, keys and (Secret) base64 data. */
export function validateConfigObject(o: Obj, kind: 'ConfigMap' | 'Secret'): FieldError[] {
  const errs: Errs = [];
  checkValue(o, kind === 'Secret' ? secretShape : configMapShape, '', '', undefined, errs);
  validateMeta(o.metadata, errs);
  for (const field of ['data', 'binaryData', 'stringData']) {
    for (const [k, v] of Object.entries(isObj(o[field]) ? (o[field] as Obj) : {})) {
      if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253) errs.push({ field, message: invalid(k, CONFIG_KEY_MSG) });
      const b64 = field === 'binaryData' || (field === 'data' && kind === 'Secret');
      const text = typeof v === 'string' ? v.replace(/[\r\n]/g, '') : '';
      if (b64 && (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)) {
        errs.push({ field: child(field, k), message: `must be base64-encoded${kind === 'Secret' ? '; put plain text under stringData instead' : ''}` });
      }
    }
  }
  return dedupe(errs);
}
