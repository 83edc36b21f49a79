// control-plane/registry/kinds/pod-spec.ts — what the API server does to a pod spec before storing it:
// defaulting (SetDefaults_Pod/PodSpec/Container: restartPolicy, dnsPolicy, grace period, scheduler,
// termination message, image pull policy, port protocol, volume modes, probe timings, requests from limits),
// the QoS class of a new pod, validation with field paths (containers, names, images, ports, volumes,
// policies), and the update rule (only images, activeDeadlineSeconds, tolerations may change).
//
// PURE, over plain v1 JSON. The subset of pkg/apis/core/validation that matters on one node.
import { deepEqual, isObj, listOf, type Obj } from '../common.js';
import type { FieldError } from '../types.js';
import { duplicate, forbidden, invalidValue, nameErrors, notSupported, required } from '../validation.js';

const setIfMissing = (o: Obj, k: string, v: unknown): void => { if (o[k] === undefined || o[k] === null) o[k] = v; };

function pullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  for (const [k, v] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const) setIfMissing(p, k, v);
  if (isObj(p['httpGet'])) setIfMissing(p['httpGet'], 'scheme', 'HTTP');
}

function defaultContainer(c: Obj): void {
  setIfMissing(c, 'terminationMessagePath', '/dev/termination-log');
  setIfMissing(c, 'terminationMessagePolicy', 'File');
  if (typeof c['image'] === 'string') setIfMissing(c, 'imagePullPolicy', pullPolicy(c['image']));
  for (const p of listOf(c['ports'])) setIfMissing(p, 'protocol', 'TCP');
  for (const f of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[f]);
  for (const e of listOf(c['env'])) {
    const ref = isObj(e['valueFrom']) ? e['valueFrom']['fieldRef'] : undefined;
    if (isObj(ref)) setIfMissing(ref, 'apiVersion', 'v1');
  }
  const res = isObj(c['resources']) ? c['resources'] : undefined;
  if (res && isObj(res['limits'])) res['requests'] = { ...res['limits'], ...(isObj(res['requests']) ? res['requests'] : {}) };
}

const VOLUME_MODES = ['configMap', 'secret', 'downwardAPI', 'projected'];

export function defaultPodSpec(spec: Obj): void {
  setIfMissing(spec, 'restartPolicy', 'Always');
  setIfMissing(spec, 'dnsPolicy', 'ClusterFirst');
  setIfMissing(spec, 'terminationGracePeriodSeconds', 30);
  setIfMissing(spec, 'securityContext', {});
  setIfMissing(spec, 'schedulerName', 'default-scheduler');
  setIfMissing(spec, 'enableServiceLinks', true);
  for (const c of [...listOf(spec['containers']), ...listOf(spec['initContainers'])]) defaultContainer(c);
  for (const v of listOf(spec['volumes'])) {
    for (const k of VOLUME_MODES) if (isObj(v[k])) setIfMissing(v[k], 'defaultMode', 420);
  }
}

// ---- QoS ----

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const quantity = (q: unknown): number => {
  const m = /^([+-]?[\d.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(String(q).trim());
  return m && SUFFIX[m[2]!] !== undefined ? Number(m[1]) * SUFFIX[m[2]!]! : Number.NaN;
};

/** GetPodQOS over cpu and memory: BestEffort (nothing set), Guaranteed (limits = requests everywhere), else Burstable. */
export function qosClass(spec: Obj): string {
  let any = false;
  let guaranteed = true;
  for (const c of [...listOf(spec['containers']), ...listOf(spec['initContainers'])]) {
    const res = isObj(c['resources']) ? c['resources'] : {};
    const lim = isObj(res['limits']) ? res['limits'] : {};
    const req = isObj(res['requests']) ? res['requests'] : {};
    for (const r of ['cpu', 'memory']) {
      if (lim[r] !== undefined || req[r] !== undefined) any = true;
      if (lim[r] === undefined || quantity(lim[r]) !== quantity(req[r] ?? lim[r])) guaranteed = false;
    }
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

// ---- validation ----

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainer(c: Obj, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const name = c['name'];
  if (typeof name !== 'string' || name === '') errs.push(required(`${path}.name`));
  else {
    errs.push(...nameErrors(`${path}.name`, name, 'label'));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
  }
  if (typeof c['image'] !== 'string' || c['image'].trim() === '') errs.push(required(`${path}.image`));
  const pp = c['imagePullPolicy'];
  if (typeof pp === 'string' && !PULL_POLICIES.includes(pp)) errs.push(notSupported(`${path}.imagePullPolicy`, pp, PULL_POLICIES));
  for (const [j, p] of listOf(c['ports']).entries()) {
    const port = p['containerPort'];
    if (port === undefined) errs.push(required(`${path}.ports[${j}].containerPort`));
    else if (typeof port !== 'number' || port < 1 || port > 65535) errs.push(invalidValue(`${path}.ports[${j}].containerPort`, port, 'must be between 1 and 65535, inclusive'));
    if (typeof p['protocol'] === 'string' && !PROTOCOLS.includes(p['protocol'])) errs.push(notSupported(`${path}.ports[${j}].protocol`, p['protocol'], PROTOCOLS));
  }
  return errs;
}

export function validatePodSpec(spec: unknown): FieldError[] {
  if (!isObj(spec)) return [required('spec.containers')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const containers = listOf(spec['containers']);
  if (containers.length === 0) errs.push(required('spec.containers'));
  for (const [i, c] of containers.entries()) errs.push(...validateContainer(c, `spec.containers[${i}]`, names));
  for (const [i, c] of listOf(spec['initContainers']).entries()) errs.push(...validateContainer(c, `spec.initContainers[${i}]`, names));
  const volumes = new Set<string>();
  for (const [i, v] of listOf(spec['volumes']).entries()) {
    const n = v['name'];
    if (typeof n !== 'string' || n === '') { errs.push(required(`spec.volumes[${i}].name`)); continue; }
    errs.push(...nameErrors(`spec.volumes[${i}].name`, n, 'label'));
    if (volumes.has(n)) errs.push(duplicate(`spec.volumes[${i}].name`, n));
    volumes.add(n);
  }
  for (const [field, values] of [['restartPolicy', RESTART_POLICIES], ['dnsPolicy', DNS_POLICIES]] as const) {
    const v = spec[field];
    if (typeof v === 'string' && !values.includes(v)) errs.push(notSupported(`spec.${field}`, v, values));
  }
  const grace = spec['terminationGracePeriodSeconds'];
  if (typeof grace === 'number' && grace < 0) errs.push(invalidValue('spec.terminationGracePeriodSeconds', grace, 'must be greater than or equal to 0'));
  if (typeof spec['nodeName'] === 'string' && spec['nodeName']) errs.push(...nameErrors('spec.nodeName', spec['nodeName'], 'subdomain'));
  return errs;
}

const UPDATE_MSG = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** ValidatePodUpdate's spec rule: the new spec with the mutable fields taken from the old must equal the old. */
export function validatePodSpecUpdate(spec: unknown, old: unknown): FieldError[] {
  if (!isObj(spec) || !isObj(old)) return [];
  const probe = structuredClone(spec);
  for (const list of ['containers', 'initContainers']) {
    const before = listOf(old[list]);
    for (const [i, c] of listOf(probe[list]).entries()) if (before[i]) c['image'] = before[i]!['image'];
  }
  for (const f of ['activeDeadlineSeconds', 'tolerations']) { if (old[f] === undefined) delete probe[f]; else probe[f] = old[f]; }
  if (typeof old['terminationGracePeriodSeconds'] === 'number' && old['terminationGracePeriodSeconds'] < 0 && probe['terminationGracePeriodSeconds'] === 1) {
    probe['terminationGracePeriodSeconds'] = old['terminationGracePeriodSeconds'];
  }
  if (listOf(old['schedulingGates']).length > 0) probe['schedulingGates'] = old['schedulingGates']; // gates may be removed
  return deepEqual(probe, old) ? [] : [forbidden('spec', UPDATE_MSG)];
}
