// agent/sources/validate-structure.ts — pass 1 of pod validation: the field table of Pod, ConfigMap and
// Secret, and the walk that checks every value against it: types, unknown fields with hints ("did you mean …",
// "belongs to the probe: move it up one level"), like the API server's strict decoding.
// PURE; called by validate.ts. The semantic rules (pass 2) live in validate.ts and validate-spec.ts.
import {
  containerSecurityContextShape, downwardAPIShape, keyItemsShape, podSecurityContextShape, projectedShape,
} from './validate-spec.js';
import { child, isObj, kindOf, show, type Errs } from './validate-util.js';

// (pass 1: structure) -------------------------------------------------------------------------------
type Leaf = 'str' | 'int' | 'bool' | 'ios' | 'qty' | 'strs' | 'map' | 'hidden' | 'qmap' | 'obj' | 'objs' | 'any';
interface Shape { readonly name: string; readonly fields: Readonly<Record<string, Spec>> }
type Spec = Leaf | Shape | readonly [Shape];
const shape = (name: string, fields: Record<string, Spec>): Shape => ({ name, fields });
const all = (t: Leaf, names: string): Record<string, Leaf> => Object.fromEntries(names.split(' ').map((n) => [n, t]));

const exec = shape('exec action', { command: 'strs' });
const httpGet = shape('httpGet action', { host: 'str', httpHeaders: [shape('HTTP header', { name: 'str', value: 'str' })], path: 'str', port: 'ios', scheme: 'str' });
const tcpSocket = shape('tcpSocket action', { host: 'str', port: 'ios' });
const probe = shape('probe', {
  exec, httpGet, tcpSocket, grpc: shape('grpc action', { port: 'int', service: 'str' }),
  ...all('int', 'initialDelaySeconds periodSeconds timeoutSeconds successThreshold failureThreshold terminationGracePeriodSeconds'),
});
const hook = shape('lifecycle hook', { exec, httpGet, tcpSocket, sleep: shape('sleep action', { seconds: 'int' }) });
const resources = shape('resources', { claims: 'objs', limits: 'qmap', requests: 'qmap' });
const container = shape('container', {
  ...all('str', 'name image imagePullPolicy restartPolicy terminationMessagePath terminationMessagePolicy workingDir'),
  ...all('strs', 'command args'), ...all('bool', 'stdin stdinOnce tty'), ...all('objs', 'resizePolicy restartPolicyRules volumeDevices'),
  env: [shape('env var', { name: 'str', value: 'str', valueFrom: shape('env var source', all('obj', 'configMapKeyRef fieldRef resourceFieldRef secretKeyRef')) })],
  envFrom: [shape('envFrom source', { configMapRef: 'obj', prefix: 'str', secretRef: 'obj' })],
  ports: [shape('container port', { containerPort: 'int', hostIP: 'str', hostPort: 'int', name: 'str', protocol: 'str' })],
  volumeMounts: [shape('volume mount', { ...all('str', 'mountPath mountPropagation name recursiveReadOnly subPath subPathExpr'), readOnly: 'bool' })],
  livenessProbe: probe, readinessProbe: probe, startupProbe: probe,
  lifecycle: shape('lifecycle', { postStart: hook, preStop: hook, stopSignal: 'str' }), resources, securityContext: containerSecurityContextShape,
});
export const VOLUME_SOURCES = ('awsElasticBlockStore azureDisk azureFile cephfs cinder configMap csi downwardAPI emptyDir ephemeral fc flexVolume ' +
  'flocker gcePersistentDisk gitRepo glusterfs hostPath image iscsi nfs persistentVolumeClaim photonPersistentDisk portworxVolume ' +
  'projected quobyte rbd scaleIO secret storageos vsphereVolume').split(' ');
const volume = shape('volume', {
  ...all('obj', VOLUME_SOURCES.join(' ')), name: 'str',
  hostPath: shape('hostPath volume', { path: 'str', type: 'str' }),
  emptyDir: shape('emptyDir volume', { medium: 'str', sizeLimit: 'qty' }),
  configMap: shape('configMap volume', { defaultMode: 'int', items: keyItemsShape, name: 'str', optional: 'bool' }),
  secret: shape('secret volume', { defaultMode: 'int', items: keyItemsShape, optional: 'bool', secretName: 'str' }),
  downwardAPI: downwardAPIShape, projected: projectedShape,
});
const podSpec = shape('pod spec', {
  ...all('str', 'dnsPolicy hostname hostnameOverride nodeName preemptionPolicy priorityClassName restartPolicy runtimeClassName schedulerName serviceAccount serviceAccountName subdomain'),
  ...all('bool', 'automountServiceAccountToken enableServiceLinks hostIPC hostNetwork hostPID hostUsers setHostnameAsFQDN shareProcessNamespace'),
  ...all('int', 'activeDeadlineSeconds priority terminationGracePeriodSeconds'), ...all('obj', 'affinity os'), securityContext: podSecurityContextShape,
  ...all('objs', 'ephemeralContainers hostAliases imagePullSecrets readinessGates resourceClaims schedulingGates tolerations topologySpreadConstraints'),
  containers: [container], initContainers: [container], volumes: [volume], nodeSelector: 'map', overhead: 'qmap', resources,
  dnsConfig: shape('dnsConfig', { nameservers: 'strs', options: 'objs', searches: 'strs' }),
});
const metadata = shape('metadata', {
  ...all('str', 'name generateName namespace uid resourceVersion selfLink'), ...all('any', 'creationTimestamp deletionTimestamp'),
  labels: 'map', annotations: 'map', finalizers: 'strs', ownerReferences: 'objs', managedFields: 'objs', generation: 'int', deletionGracePeriodSeconds: 'int',
});
const head = { apiVersion: 'str', kind: 'str', metadata } as const;
export const podShape = shape('pod', { ...head, spec: podSpec, status: 'obj' });
export const configMapShape = shape('ConfigMap', { ...head, data: 'map', binaryData: 'map', immutable: 'bool' });
export const secretShape = shape('Secret', { ...head, data: 'hidden', stringData: 'hidden', type: 'str', immutable: 'bool' });


function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
/** The one known word within a small edit distance of `word` (case-insensitive), if any. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const max = w.length >= 6 ? 2 : 1;
  const scored = known.map((k) => [k, distance(w, k.toLowerCase())] as const).filter(([, d]) => d <= max).sort((x, y) => x[1] - y[1]);
  return scored.length && (scored.length === 1 || scored[0]![1] < scored[1]![1]) ? scored[0]![0] : undefined;
}
const orList = (xs: string[]): string => (xs.length === 1 ? xs[0]! : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

function unknownField(k: string, key: string, sh: Shape, parent: Shape | undefined): string {
  const homes = Object.entries(sh.fields).filter(([, s]) => { const c = Array.isArray(s) ? s[0] : s; return typeof c === 'object' && Object.hasOwn(c.fields, k); }).map(([n]) => n);
  if (homes.length) return `unknown field; ${k} belongs inside ${orList(homes)}: move it down one level, under ${homes.length === 1 ? homes[0] : 'one of them'}`;
  if (parent && Object.hasOwn(parent.fields, k)) return `unknown field; ${k} belongs to the ${parent.name}: move it up one level, beside ${key}`;
  const near = closest(k, Object.keys(sh.fields));
  return near ? `unknown field "${k}"; did you mean "${near}"?` : `unknown field "${k}"`;
}

function mustBeString(v: unknown, key: string, hide = false): string {
  if (typeof v === 'object') return `must be a string, not ${kindOf(v)}`;
  if (hide) return `must be a string, not ${kindOf(v)}; quote the value`;
  if (typeof v === 'boolean') return `Invalid value: ${v}: must be a string; YAML reads unquoted y, n, yes, no, on, off, true and false as booleans, so quote the value`;
  return `Invalid value: ${show(v)}: must be a string; quote it: ${key}: "${String(v)}"`;
}
function mustBeInt(v: unknown): string {
  if (typeof v === 'object') return `must be an integer, not ${kindOf(v)}`;
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return `Invalid value: ${show(v)}: must be an integer, not a string; remove the quotes`;
  return `Invalid value: ${show(v)}: must be an integer`;
}

function checkLeaf(v: unknown, leaf: Leaf, path: string, key: string, errs: Errs): void {
  const bad = (message: string): void => void errs.push({ field: path, message });
  const isInt = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x);
  switch (leaf) {
    case 'str': if (typeof v !== 'string') bad(mustBeString(v, key)); return;
    case 'int': if (!isInt(v)) bad(mustBeInt(v)); return;
    case 'bool': if (typeof v !== 'boolean') bad(`Invalid value: ${show(v)}: must be a boolean (true or false)${typeof v === 'string' ? ', not a string; remove the quotes' : ''}`); return;
    case 'ios': if (!isInt(v) && typeof v !== 'string') bad(`Invalid value: ${show(v)}: must be a port number or a port name`); return;
    case 'qty': if (typeof v !== 'string' && typeof v !== 'number') bad(`must be a quantity such as 500m or 128Mi, not ${kindOf(v)}`); return;
    case 'obj': if (!isObj(v)) bad(`must be an object, not ${kindOf(v)}`); return;
    case 'any': return;
    case 'strs':
    case 'objs':
      if (!Array.isArray(v)) {
        if (leaf === 'strs' && typeof v === 'string') bad(`must be a list of strings, not a string; write ${key}: ["sh", "-c", ${show(v)}] or one item per word`);
        else bad(`must be a list, not ${kindOf(v)}`);
        return;
      }
      v.forEach((x, i) => {
        if (leaf === 'strs' && typeof x !== 'string') errs.push({ field: `${path}[${i}]`, message: mustBeString(x, `${key}[${i}]`) });
        if (leaf === 'objs' && !isObj(x)) errs.push({ field: `${path}[${i}]`, message: `must be an object, not ${kindOf(x)}` });
      });
      return;
    default: // map, hidden, qmap
      if (!isObj(v)) { bad(`must be a map of names to values, not ${kindOf(v)}`); return; }
      for (const [k, x] of Object.entries(v)) {
        const ok = typeof x === 'string' || (leaf === 'qmap' && typeof x === 'number');
        if (!ok && x !== null) errs.push({ field: child(path, k), message: leaf === 'qmap' ? `must be a quantity such as 500m or 128Mi, not ${kindOf(x)}` : mustBeString(x, k, leaf === 'hidden') });
      }
  }
}

export function checkValue(v: unknown, spec: Spec, path: string, key: string, parent: Shape | undefined, errs: Errs): void {
  if (v === undefined || v === null) return;
  if (typeof spec === 'string') return checkLeaf(v, spec, path, key, errs);
  if (Array.isArray(spec)) {
    if (!Array.isArray(v)) { errs.push({ field: path, message: `must be a list, not ${kindOf(v)}${isObj(v) ? '; start each item with "- "' : ''}` }); return; }
    v.forEach((item, i) => checkValue(item, spec[0], `${path}[${i}]`, key, parent, errs));
    return;
  }
  const sh = spec as Shape;
  if (!isObj(v)) {
    const message = Array.isArray(v) && Object.hasOwn(sh.fields, 'command')
      ? `must be an object with a "command" list, not a list; write ${key}: {command: [...]}` : `must be an object, not ${kindOf(v)}`;
    errs.push({ field: path, message });
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (Object.hasOwn(sh.fields, k)) checkValue(x, sh.fields[k]!, child(path, k), k, sh, errs);
    else errs.push({ field: child(path, k), message: unknownField(k, key, sh, parent) });
  }
}
