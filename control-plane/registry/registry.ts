// control-plane/registry/registry.ts — the set of served resources: every KindDef in its own version and in
// each of its other versions (same stored objects, converted), found by (group, version, resource), by
// short name / kind for discovery, and by the store's qualified resource name. Group order is discovery's.
//
// PURE data; the API server is generic over it: adding a kind = adding its KindDef to `defaultKinds`.
import { events } from './kinds/events.js';
import { jobs } from './kinds/jobs.js';
import { cronJobs } from './kinds/cronjobs.js';
import { configMaps } from './kinds/configmaps.js';
import { controllerRevisions } from './kinds/controllerrevisions.js';
import { daemonSets } from './kinds/daemonsets.js';
import { leases } from './kinds/leases.js';
import { namespaces } from './kinds/namespaces.js';
import { nodes } from './kinds/nodes.js';
import { pods } from './kinds/pods.js';
import { deployments } from './kinds/deployments.js';
import { replicaSets } from './kinds/replicasets.js';
import { replicationControllers } from './kinds/replicationcontrollers.js';
import { secrets } from './kinds/secrets.js';
import { statefulSets } from './kinds/statefulsets.js';
import { persistentVolumeClaims } from './kinds/persistentvolumeclaims.js';
import { persistentVolumes } from './kinds/persistentvolumes.js';
import { storageClasses } from './kinds/storageclasses.js';
import { ALL_VERBS, type Deprecation, type KindDef, type KubeObject, type Verb } from './types.js';

/** One (group, version, resource) the API server serves. */
export interface Resource {
  readonly def: KindDef;
  readonly group: string;
  readonly version: string;
  /** "v1" or "group/version": the apiVersion of objects in this version. */
  readonly groupVersion: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly Verb[];
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  /** The store's name of the objects ("pods", "leases.coordination.k8s.io"): shared by all versions of a kind. */
  readonly storeResource: string;
  /** Subresources served besides the object itself. */
  readonly subresources: readonly string[];
  /** The warning every request to a deprecated version is answered with (the text of a 299 Warning header). */
  readonly deprecation?: string;
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

export const defaultKinds: readonly KindDef[] = [pods, configMaps, secrets, events, namespaces, nodes, leases, replicationControllers, replicaSets, deployments, daemonSets, controllerRevisions, statefulSets,
  jobs, cronJobs,
  persistentVolumeClaims, persistentVolumes, storageClasses];

const gvOf = (group: string, version: string): string => (group ? `${group}/${version}` : version);
const identity = (o: KubeObject): KubeObject => o;

/** The text kube-apiserver's deprecation warnings have. */
const deprecationText = (def: KindDef, gv: string, d: Deprecation): string =>
  `${gv} ${def.kind} is deprecated in v${d.since}+, unavailable in v${d.removedIn}+; use ${d.replacement ?? `${gvOf(def.group, def.version)} ${def.kind}`}`;

function resourcesOf(def: KindDef): Resource[] {
  const storeResource = def.group ? `${def.resource}.${def.group}` : def.resource;
  const base = {
    def, resource: def.resource, kind: def.kind, namespaced: def.namespaced, verbs: def.verbs ?? ALL_VERBS,
    categories: def.categories ?? [], storeResource,
    subresources: [...(def.statusSubresource ? ['status'] : []), ...(def.scale ? ['scale'] : [])],
  };
  const own: Resource = { ...base, group: def.group, version: def.version, groupVersion: gvOf(def.group, def.version), shortNames: def.shortNames ?? [], toStorage: identity, fromStorage: identity };
  const others = (def.otherVersions ?? []).map((v): Resource => ({
    ...base, group: v.group, version: v.version, groupVersion: gvOf(v.group, v.version), shortNames: v.shortNames ?? def.shortNames ?? [],
    toStorage: v.toStorage, fromStorage: v.fromStorage,
    // kubectl would warn that `deploy` "could also match lower priority resource deployments.extensions".
    ...(v.deprecated ? { categories: [], shortNames: v.shortNames ?? [], deprecation: deprecationText(def, gvOf(v.group, v.version), v.deprecated) } : {}),
  }));
  return [own, ...others];
}

export interface GroupVersions { name: string; versions: string[] }

export class Registry {
  private readonly all: Resource[];
  private readonly byKey = new Map<string, Resource>();
  private readonly byStore = new Map<string, Resource>();

  constructor(defs: readonly KindDef[] = defaultKinds) {
    this.all = defs.flatMap(resourcesOf);
    for (const r of this.all) {
      this.byKey.set(`${r.group}|${r.version}|${r.resource}`, r);
      if (!this.byStore.has(r.storeResource)) this.byStore.set(r.storeResource, r);
    }
  }

  resources(): readonly Resource[] { return this.all; }

  lookup(group: string, version: string, resource: string): Resource | undefined {
    return this.byKey.get(`${group}|${version}|${resource}`);
  }

  /** The storage version's resource of a store resource name. */
  forStore(storeResource: string): Resource | undefined { return this.byStore.get(storeResource); }

  /** How a controller deletes a stored object: a graceful kind (Pod) with its grace period, others at once. */
  readonly controllerDeleteOptions = (e: { key: { resource: string }; object: KubeObject }): { gracePeriodSeconds?: number } => {
    const grace = this.forStore(e.key.resource)?.def.deleteGrace?.(e.object, undefined);
    return grace === undefined ? {} : { gracePeriodSeconds: grace };
  };

  inGroupVersion(group: string, version: string): Resource[] {
    return this.all.filter((r) => r.group === group && r.version === version);
  }

  /** Named API groups (not the core group) with their versions, in the order kinds were given. */
  groups(): GroupVersions[] {
    const out: GroupVersions[] = [];
    for (const r of this.all) {
      if (!r.group) continue;
      let g = out.find((x) => x.name === r.group);
      if (!g) { g = { name: r.group, versions: [] }; out.push(g); }
      if (!g.versions.includes(r.version)) g.versions.push(r.version);
    }
    return out;
  }
}
