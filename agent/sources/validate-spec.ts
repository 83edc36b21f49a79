// agent/sources/validate-spec.ts — validation of the pod-spec parts mini-kubelet honours beyond the basics
// in validate.ts: the field shapes of securityContext (pod and container), downwardAPI and projected
// volumes (so a typo such as `readOnlyRootFileSystem` is an unknown field with a hint, not silently
// nothing), and the ValidatePod rules for them: ids, seccomp/AppArmor profiles, sysctls, procMount,
// privilege escalation, mount propagation, subPathExpr, downward API field paths and resources, item paths
// and modes, projected sources, hostAliases, shareProcessNamespace with hostPID, stop signals.
// Messages follow Kubernetes' field.Error texts. Called by validate.ts (shapes in pass 1, rules in pass 2).
import { isIP } from 'node:net';
import { int, isObj, objs, show, str, type FieldError, type Obj } from './validate-util.js';

export type { FieldError } from './validate-util.js';
type Leaf = 'str' | 'int' | 'bool' | 'ios' | 'qty' | 'strs' | 'map' | 'hidden' | 'qmap' | 'obj' | 'objs' | 'any';
export interface SpecShape { readonly name: string; readonly fields: Readonly<Record<string, Leaf | SpecShape | readonly [SpecShape]>> }
const shape = (name: string, fields: SpecShape['fields']): SpecShape => ({ name, fields });

const profile = (name: string) => shape(name, { type: 'str', localhostProfile: 'str' });
const seLinux = shape('seLinuxOptions', { level: 'str', role: 'str', type: 'str', user: 'str' });
const windows = shape('windowsOptions', { gmsaCredentialSpec: 'str', gmsaCredentialSpecName: 'str', hostProcess: 'bool', runAsUserName: 'str' });

export const podSecurityContextShape = shape('pod securityContext', {
  appArmorProfile: profile('appArmorProfile'), seccompProfile: profile('seccompProfile'), seLinuxOptions: seLinux, windowsOptions: windows,
  fsGroup: 'int', runAsGroup: 'int', runAsUser: 'int', runAsNonRoot: 'bool', supplementalGroups: 'any',
  fsGroupChangePolicy: 'str', seLinuxChangePolicy: 'str', supplementalGroupsPolicy: 'str',
  sysctls: [shape('sysctl', { name: 'str', value: 'str' })],
});

export const containerSecurityContextShape = shape('container securityContext', {
  appArmorProfile: profile('appArmorProfile'), seccompProfile: profile('seccompProfile'), seLinuxOptions: seLinux, windowsOptions: windows,
  allowPrivilegeEscalation: 'bool', privileged: 'bool', readOnlyRootFilesystem: 'bool', runAsNonRoot: 'bool',
  runAsGroup: 'int', runAsUser: 'int', procMount: 'str',
  capabilities: shape('capabilities', { add: 'strs', drop: 'strs' }),
});

const downwardItem = shape('downwardAPI item', {
  path: 'str', mode: 'int',
  fieldRef: shape('fieldRef', { apiVersion: 'str', fieldPath: 'str' }),
  resourceFieldRef: shape('resourceFieldRef', { containerName: 'str', resource: 'str', divisor: 'qty' }),
});
const keyItem = shape('key to path', { key: 'str', path: 'str', mode: 'int' });
export const downwardAPIShape = shape('downwardAPI volume', { defaultMode: 'int', items: [downwardItem] });
export const projectedShape = shape('projected volume', {
  defaultMode: 'int',
  sources: [shape('projection', {
    configMap: shape('configMap projection', { name: 'str', optional: 'bool', items: [keyItem] }),
    secret: shape('secret projection', { name: 'str', optional: 'bool', items: [keyItem] }),
    downwardAPI: shape('downwardAPI projection', { items: [downwardItem] }),
    serviceAccountToken: shape('serviceAccountToken projection', { audience: 'str', expirationSeconds: 'int', path: 'str' }),
    clusterTrustBundle: 'obj', podCertificate: 'obj',
  })],
});
export const keyItemsShape = [keyItem] as const;

// ---- rules ----------------------------------------------------------------------------------------------
const invalid = (v: unknown, detail: string): string => `Invalid value: ${show(v)}: ${detail}`;
const unsupported = (v: string, values: readonly string[]): string => `Unsupported value: ${show(v)}: supported values: ${values.map((s) => `"${s}"`).join(', ')}`;

const ID_MSG = 'must be between 0 and 2147483647, inclusive';
const SYSCTL_RE = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
export const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
export const VOLUME_FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const SIGNALS = ('SIGABRT SIGALRM SIGBUS SIGCHLD SIGCLD SIGCONT SIGFPE SIGHUP SIGILL SIGINT SIGIO SIGIOT SIGKILL SIGPIPE SIGPOLL SIGPROF SIGPWR ' +
  'SIGQUIT SIGSEGV SIGSTKFLT SIGSTOP SIGSYS SIGTERM SIGTRAP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGUSR1 SIGUSR2 SIGVTALRM SIGWINCH SIGXCPU SIGXFSZ').split(' ');

function ids(sc: Obj, path: string, errs: FieldError[]): void {
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup']) {
    const n = int(sc[f]);
    if (n !== undefined && (n < 0 || n > 2147483647)) errs.push({ field: `${path}.${f}`, message: ID_MSG });
  }
  if (sc.supplementalGroups !== undefined && sc.supplementalGroups !== null) {
    if (!Array.isArray(sc.supplementalGroups)) errs.push({ field: `${path}.supplementalGroups`, message: 'must be a list of group ids' });
    else sc.supplementalGroups.forEach((g, i) => { if (int(g) === undefined || g < 0 || g > 2147483647) errs.push({ field: `${path}.supplementalGroups[${i}]`, message: ID_MSG }); });
  }
}

function profileRules(p: unknown, path: string, errs: FieldError[]): void {
  if (!isObj(p)) return;
  const type = str(p.type);
  if (type === undefined) { if (p.type == null) errs.push({ field: `${path}.type`, message: 'Required value' }); return; }
  if (!PROFILE_TYPES.includes(type)) errs.push({ field: `${path}.type`, message: unsupported(type, PROFILE_TYPES) });
  if (type === 'Localhost' && !str(p.localhostProfile)) errs.push({ field: `${path}.localhostProfile`, message: 'Required value: must be set when seccomp type is Localhost' });
  if (type !== 'Localhost' && str(p.localhostProfile)) errs.push({ field: `${path}.localhostProfile`, message: invalid(p.localhostProfile, 'can only be set when seccomp type is Localhost') });
}

function relPath(p: unknown, path: string, errs: FieldError[]): void {
  const s = str(p);
  if (s === undefined || s === '') { if (p == null || s === '') errs.push({ field: path, message: 'Required value' }); return; }
  if (s.startsWith('/')) errs.push({ field: path, message: invalid(s, 'must be a relative path') });
  else if (s.split('/').includes('..')) errs.push({ field: path, message: invalid(s, "must not contain '..'") });
  else if (s.startsWith('..')) errs.push({ field: path, message: invalid(s, "must not start with '..'") });
}

function mode(m: unknown, path: string, errs: FieldError[]): void {
  const n = int(m);
  if (n !== undefined && (n < 0 || n > 0o777)) errs.push({ field: path, message: 'must be a number between 0 and 0777 (octal), both inclusive' });
}

function fieldPath(p: string | undefined, allowed: readonly string[], path: string, errs: FieldError[]): void {
  if (p === undefined) { errs.push({ field: path, message: 'Required value' }); return; }
  if (/^metadata\.(labels|annotations)\['.+'\]$/.test(p)) return;
  if (!allowed.includes(p)) errs.push({ field: path, message: unsupported(p, allowed) });
}

function resourceRef(r: Obj, path: string, needContainer: boolean, errs: FieldError[]): void {
  if (needContainer && !str(r.containerName)) errs.push({ field: `${path}.containerName`, message: 'Required value' });
  const res = str(r.resource);
  if (res === undefined) errs.push({ field: `${path}.resource`, message: 'Required value' });
  else if (!RESOURCES.includes(res) && !/^(limits|requests)\.hugepages-/.test(res)) errs.push({ field: `${path}.resource`, message: unsupported(res, RESOURCES) });
}

function downwardItems(items: unknown, path: string, errs: FieldError[]): void {
  for (const [it, i] of objs(items)) {
    const p = `${path}[${i}]`;
    relPath(it.path, `${p}.path`, errs);
    mode(it.mode, `${p}.mode`, errs);
    const refs = [isObj(it.fieldRef), isObj(it.resourceFieldRef)].filter(Boolean).length;
    if (refs !== 1) errs.push({ field: p, message: refs ? 'Invalid value: "": fieldRef and resourceFieldRef can not be specified simultaneously' : 'Required value: one of fieldRef and resourceFieldRef is required' });
    if (isObj(it.fieldRef)) fieldPath(str(it.fieldRef.fieldPath), VOLUME_FIELD_PATHS, `${p}.fieldRef.fieldPath`, errs);
    if (isObj(it.resourceFieldRef)) resourceRef(it.resourceFieldRef, `${p}.resourceFieldRef`, true, errs);
  }
}

function keyItems(items: unknown, path: string, errs: FieldError[]): void {
  for (const [it, i] of objs(items)) {
    if (!str(it.key)) errs.push({ field: `${path}[${i}].key`, message: 'Required value' });
    relPath(it.path, `${path}[${i}].path`, errs);
    mode(it.mode, `${path}[${i}].mode`, errs);
  }
}

function volumeRules(v: Obj, vp: string, errs: FieldError[]): void {
  if (isObj(v.configMap)) keyItems(v.configMap.items, `${vp}.configMap.items`, errs);
  if (isObj(v.secret)) keyItems(v.secret.items, `${vp}.secret.items`, errs);
  if (isObj(v.downwardAPI)) { downwardItems(v.downwardAPI.items, `${vp}.downwardAPI.items`, errs); mode(v.downwardAPI.defaultMode, `${vp}.downwardAPI.defaultMode`, errs); }
  if (!isObj(v.projected)) return;
  mode(v.projected.defaultMode, `${vp}.projected.defaultMode`, errs);
  for (const [s, i] of objs(v.projected.sources)) {
    const sp = `${vp}.projected.sources[${i}]`;
    const kinds = ['configMap', 'secret', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle', 'podCertificate'].filter((k) => isObj(s[k]));
    if (kinds.length > 1) for (const k of kinds.slice(1)) errs.push({ field: `${sp}.${k}`, message: 'Forbidden: may not specify more than 1 volume type per source' });
    if (isObj(s.configMap)) keyItems(s.configMap.items, `${sp}.configMap.items`, errs);
    if (isObj(s.secret)) keyItems(s.secret.items, `${sp}.secret.items`, errs);
    if (isObj(s.downwardAPI)) downwardItems(s.downwardAPI.items, `${sp}.downwardAPI.items`, errs);
    if (isObj(s.serviceAccountToken)) {
      relPath(s.serviceAccountToken.path, `${sp}.serviceAccountToken.path`, errs);
      const exp = int(s.serviceAccountToken.expirationSeconds);
      if (exp !== undefined && exp < 600) errs.push({ field: `${sp}.serviceAccountToken.expirationSeconds`, message: 'may not specify a duration less than 10 minutes' });
    }
  }
}

function containerRules(c: Obj, path: string, errs: FieldError[]): void {
  const sc = isObj(c.securityContext) ? c.securityContext : {};
  const scp = `${path}.securityContext`;
  ids(sc, scp, errs);
  profileRules(sc.seccompProfile, `${scp}.seccompProfile`, errs);
  profileRules(sc.appArmorProfile, `${scp}.appArmorProfile`, errs);
  const pm = str(sc.procMount);
  if (pm !== undefined && !['Default', 'Unmasked'].includes(pm)) errs.push({ field: `${scp}.procMount`, message: unsupported(pm, ['Default', 'Unmasked']) });
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push({ field: scp, message: 'Invalid value: "": cannot set allowPrivilegeEscalation to false and privileged to true' });
    const add = isObj(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : [];
    if (add.some((a) => a === 'SYS_ADMIN' || a === 'CAP_SYS_ADMIN')) errs.push({ field: scp, message: 'Invalid value: "": cannot set allowPrivilegeEscalation to false and capabilities.Add CAP_SYS_ADMIN' });
  }
  for (const [m, i] of objs(c.volumeMounts)) {
    const mp = `${path}.volumeMounts[${i}]`;
    const prop = str(m.mountPropagation);
    if (prop !== undefined && !['Bidirectional', 'HostToContainer', 'None'].includes(prop)) errs.push({ field: `${mp}.mountPropagation`, message: unsupported(prop, ['Bidirectional', 'HostToContainer', 'None']) });
    else if (prop === 'Bidirectional' && sc.privileged !== true) errs.push({ field: `${mp}.mountPropagation`, message: 'Forbidden: Bidirectional mount propagation is available only to privileged containers' });
    const expr = str(m.subPathExpr);
    if (expr && str(m.subPath)) errs.push({ field: `${mp}.subPathExpr`, message: invalid(expr, 'subPathExpr and subPath are mutually exclusive') });
    else if (expr?.startsWith('/')) errs.push({ field: `${mp}.subPathExpr`, message: invalid(expr, 'must be a relative path') });
  }
  for (const [e, i] of objs(c.env)) {
    const vf = isObj(e.valueFrom) ? e.valueFrom : undefined;
    if (isObj(vf?.fieldRef)) fieldPath(str(vf.fieldRef.fieldPath), ENV_FIELD_PATHS, `${path}.env[${i}].valueFrom.fieldRef.fieldPath`, errs);
    if (isObj(vf?.resourceFieldRef)) resourceRef(vf.resourceFieldRef, `${path}.env[${i}].valueFrom.resourceFieldRef`, false, errs);
  }
  const sig = isObj(c.lifecycle) ? str(c.lifecycle.stopSignal) : undefined;
  if (sig !== undefined && !SIGNALS.includes(sig) && !/^SIGRTMIN(\+([1-9]|1[0-5]))?$|^SIGRTMAX(-([1-9]|1[0-4]))?$/.test(sig)) {
    errs.push({ field: `${path}.lifecycle.stopSignal`, message: `${unsupported(sig, ['SIGTERM', 'SIGKILL', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'])} (or another Linux signal name)` });
  }
}

/** Pass-2 rules for the fields above; appends to `errs`. */
export function validateSpecExtras(spec: Obj, errs: FieldError[]): void {
  const sc = isObj(spec.securityContext) ? spec.securityContext : {};
  ids(sc, 'spec.securityContext', errs);
  profileRules(sc.seccompProfile, 'spec.securityContext.seccompProfile', errs);
  profileRules(sc.appArmorProfile, 'spec.securityContext.appArmorProfile', errs);
  const seen = new Set<string>();
  for (const [s, i] of objs(sc.sysctls)) {
    const sp = `spec.securityContext.sysctls[${i}].name`;
    const name = str(s.name);
    if (!name) { errs.push({ field: sp, message: 'Required value' }); continue; }
    if (name.length > 253 || !SYSCTL_RE.test(name)) errs.push({ field: sp, message: invalid(name, `must have at most 253 characters and match regex ${SYSCTL_RE.source}`) });
    if (seen.has(name)) errs.push({ field: sp, message: `Duplicate value: ${show(name)}` });
    seen.add(name);
    const dotted = name.includes('/') && (!name.includes('.') || name.indexOf('/') < name.indexOf('.')) ? name.replace(/[./]/g, (c) => (c === '/' ? '.' : '/')) : name;
    if (spec.hostNetwork === true && dotted.startsWith('net.')) errs.push({ field: sp, message: invalid(name, "may not be specified when 'hostNetwork' is true") });
    if (spec.hostIPC === true && /^(kernel\.(shm|msg|sem)|fs\.mqueue\.)/.test(dotted)) errs.push({ field: sp, message: invalid(name, "may not be specified when 'hostIPC' is true") });
  }
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push({ field: 'spec.securityContext.shareProcessNamespace', message: 'Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled' });
  }
  for (const [a, i] of objs(spec.hostAliases)) {
    const ip = str(a.ip);
    if (!ip) errs.push({ field: `spec.hostAliases[${i}].ip`, message: 'Required value' });
    else if (!isIP(ip)) errs.push({ field: `spec.hostAliases[${i}].ip`, message: invalid(ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)') });
  }
  for (const [v, i] of objs(spec.volumes)) volumeRules(v, `spec.volumes[${i}]`, errs);
  for (const list of ['initContainers', 'containers']) {
    for (const [c, i] of objs(spec[list])) containerRules(c, `spec.${list}[${i}]`, errs);
  }
}
