// agent/api/defaults.ts — API-server defaulting of a Pod (the SetDefaults_* functions of
// pkg/apis/core/v1/defaults.go that the kubelet relies on), plus the image tag normalisation.
//
// applyPodDefaults never mutates its input and never throws: parts of the pod with the wrong type (a string
// where a list belongs, …) are left exactly as written so validation can name them. Like Go's zero values,
// a missing field, `null` and `0` all count as "unset" for the numeric probe defaults.
import type { Pod } from './v1.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const unset = (v: unknown): boolean => v === undefined || v === null;
const unsetOrZero = (v: unknown): boolean => unset(v) || v === 0;
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** Splits an image reference into its parts: the tag is the text after the last `:` of the last path segment. */
export function imageTagOf(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const last = name.slice(name.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return { tag: colon >= 0 ? last.slice(colon + 1) : undefined, digest };
}

/** `busybox` → `busybox:latest`; a reference with a tag or a digest is returned as written. The registry and
 *  `library/` prefix are not added (the kubelet shows images as written plus the default tag). */
export function normaliseImage(image: string): string {
  const { tag, digest } = imageTagOf(image);
  return tag !== undefined || digest !== undefined ? image : `${image}:latest`;
}

/** The kubelet's default pull policy: Always for `:latest` or untagged images without a digest. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const { tag, digest } = imageTagOf(image);
  return digest === undefined && (tag === undefined || tag === 'latest') ? 'Always' : 'IfNotPresent';
}

function defaultHTTPGet(h: unknown): void {
  if (!isObj(h)) return;
  if (unset(h.path) || h.path === '') h.path = '/';
  if (unset(h.scheme) || h.scheme === '') h.scheme = 'HTTP';
}

function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  if (unsetOrZero(p.timeoutSeconds)) p.timeoutSeconds = 1;
  if (unsetOrZero(p.periodSeconds)) p.periodSeconds = 10;
  if (unsetOrZero(p.successThreshold)) p.successThreshold = 1;
  if (unsetOrZero(p.failureThreshold)) p.failureThreshold = 3;
  if (unset(p.initialDelaySeconds)) p.initialDelaySeconds = 0;
  defaultHTTPGet(p.httpGet);
  // grpc.service stays unset: the prober sends "" (the server's overall health) in that case.
}

function defaultContainer(c: Obj, hostNetwork: boolean): void {
  if (typeof c.image === 'string' && unset(c.imagePullPolicy)) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (unset(c.terminationMessagePath)) c.terminationMessagePath = '/dev/termination-log';
  if (unset(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  for (const port of objects(c.ports)) {
    if (unset(port.protocol) || port.protocol === '') port.protocol = 'TCP';
    if (hostNetwork && unsetOrZero(port.hostPort) && typeof port.containerPort === 'number') port.hostPort = port.containerPort;
  }
  for (const e of objects(c.env)) {
    const ref = isObj(e.valueFrom) ? e.valueFrom.fieldRef : undefined;
    if (isObj(ref) && unset(ref.apiVersion)) ref.apiVersion = 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObj(c.lifecycle)) {
    for (const hook of [c.lifecycle.postStart, c.lifecycle.preStop]) if (isObj(hook)) defaultHTTPGet(hook.httpGet);
  }
  // A limit without a request: the request is the limit (per resource).
  const res = c.resources;
  if (isObj(res) && isObj(res.limits)) {
    if (unset(res.requests)) res.requests = {};
    if (isObj(res.requests)) {
      for (const [name, q] of Object.entries(res.limits)) {
        if (!Object.hasOwn(res.requests, name)) Object.defineProperty(res.requests, name, { value: q, enumerable: true, writable: true, configurable: true });
      }
    }
  }
}

function defaultDownwardItems(items: unknown): void {
  for (const it of objects(items)) if (isObj(it.fieldRef) && unset(it.fieldRef.apiVersion)) it.fieldRef.apiVersion = 'v1';
}

function defaultVolume(v: Obj): void {
  if (isObj(v.hostPath) && unset(v.hostPath.type)) v.hostPath.type = '';
  for (const key of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const src = v[key];
    if (isObj(src) && unset(src.defaultMode)) src.defaultMode = 0o644; // 420
  }
  if (isObj(v.downwardAPI)) defaultDownwardItems(v.downwardAPI.items);
  if (isObj(v.projected)) {
    for (const s of objects(v.projected.sources)) {
      if (isObj(s.downwardAPI)) defaultDownwardItems(s.downwardAPI.items);
      if (isObj(s.serviceAccountToken) && unset(s.serviceAccountToken.expirationSeconds)) s.serviceAccountToken.expirationSeconds = 3600;
    }
  }
}

/** Returns a defaulted deep copy of `pod`. */
export function applyPodDefaults(pod: Pod): Pod {
  const p = structuredClone(pod) as unknown as Obj;
  if (unset(p.metadata)) p.metadata = {};
  if (isObj(p.metadata) && (unset(p.metadata.namespace) || p.metadata.namespace === '')) p.metadata.namespace = 'default';
  if (unset(p.spec)) return p as unknown as Pod; // no spec: nothing to default, validation reports it
  const spec = p.spec;
  if (!isObj(spec)) return p as unknown as Pod;
  if (unset(spec.restartPolicy) || spec.restartPolicy === '') spec.restartPolicy = 'Always';
  if (unset(spec.dnsPolicy) || spec.dnsPolicy === '') spec.dnsPolicy = 'ClusterFirst';
  if (unset(spec.schedulerName) || spec.schedulerName === '') spec.schedulerName = 'default-scheduler';
  if (unset(spec.terminationGracePeriodSeconds)) spec.terminationGracePeriodSeconds = 30;
  if (unset(spec.securityContext)) spec.securityContext = {};
  if (unset(spec.enableServiceLinks)) spec.enableServiceLinks = true;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of [...objects(spec.initContainers), ...objects(spec.containers)]) defaultContainer(c, hostNetwork);
  for (const v of objects(spec.volumes)) defaultVolume(v);
  return p as unknown as Pod;
}

