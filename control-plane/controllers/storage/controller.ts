// control-plane/controllers/storage/controller.ts — persistent volumes on one node: the PV controller's binder,
// the pvc-protection and pv-protection controllers, and k3s's local-path provisioner, as one controller on the
// framework. Informers on persistentvolumeclaims, persistentvolumes, storageclasses, pods and nodes; keys are
// `c:<ns>/<name>` (a claim) and `v:/<name>` (a volume); reconcile reads the caches, asks decide.ts, writes one
// step through the client and lets the resulting watch event bring the next step (level-based, idempotent).
//
// At start the `local-path` class (default, WaitForFirstConsumer, Delete, provisioner rancher.io/local-path)
// is created when missing, as k3s ships it. A provisioned volume is a PV with a hostPath directory under
// `storageDir` (DirectoryOrCreate: the kubelet creates it when a pod mounts it); when its claim goes and the
// policy is Delete, the directory is removed here — only when it lies under `storageDir` and the volume is on
// `localNode` (the node that shares this process's filesystem) — and then the PV. A directory on another node
// (split mode) stays on that node's disk (the kubelet does not remove it).
import { rmSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isAlreadyExists, isNotFound, NODES, PODS, type KubeClient } from '../../../client/index.js';
import { Controller, EventRecorder, realClock, rfc3339, splitKey, type ControllerClock, type ControllerLog, type ReconcileResult } from '../framework/index.js';
import { boundClaimSpec, boundClaimStatus, claimStep, claimsOf, provisionedVolume, volumeStep, type EventSpec } from './decide.js';
import {
  BOUND_BY_CONTROLLER, HOSTNAME_LABEL, LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER, localPathClass, PV_CONTROLLER, PV_PROTECTION, PVC_PROTECTION, PVCS, PVS, STORAGE_CLASSES,
  type NodeLike, type PodLike, type PV, type PVC, type StorageClass,
} from './types.js';

export interface StorageControllerOptions {
  readonly client: KubeClient;
  readonly log?: ControllerLog;
  readonly clock?: ControllerClock;
  /** Where local-path volumes are made (`<root-dir>/storage`); without it claims of local-path wait. */
  readonly storageDir?: string;
  /** The node whose disk this process shares: only its volumes' directories are removed here. */
  readonly localNode?: string;
}

export interface StorageController {
  run(signal: AbortSignal): Promise<void>;
  readonly controller: Controller;
}

const claimKey = (ns: string, name: string): string => `c:${ns}/${name}`;
const volumeKey = (name: string): string => `v:/${name}`;

export function startStorageController(o: StorageControllerOptions): StorageController {
  const clock = o.clock ?? realClock;
  const controller = new Controller({ name: PV_CONTROLLER, reconcile: (key) => reconcile(key), clock, log: o.log });
  const binderEvents = new EventRecorder(o.client, PV_CONTROLLER, clock, o.log);
  const provisionerEvents = new EventRecorder(o.client, LOCAL_PATH_PROVISIONER, clock, o.log);
  /** The last event told per object uid (no event storm on every resync). */
  const told = new Map<string, string>();

  const claimChanged = (c: PVC): void => {
    controller.enqueue(claimKey(c.metadata?.namespace ?? '', c.metadata?.name ?? ''));
    if (c.spec?.volumeName) controller.enqueue(volumeKey(c.spec.volumeName));
    for (const v of pvs.list()) if (v.spec?.claimRef?.uid && v.spec.claimRef.uid === c.metadata?.uid) controller.enqueue(volumeKey(v.metadata!.name!));
  };
  const volumeChanged = (v: PV): void => {
    controller.enqueue(volumeKey(v.metadata?.name ?? ''));
    const ref = v.spec?.claimRef;
    if (ref?.name) controller.enqueue(claimKey(ref.namespace ?? '', ref.name));
    // A free volume may be what a waiting claim needs.
    else for (const c of pvcs.list()) if (!c.spec?.volumeName) controller.enqueue(claimKey(c.metadata?.namespace ?? '', c.metadata?.name ?? ''));
  };
  const podChanged = (p: PodLike): void => { for (const c of claimsOf(p)) controller.enqueue(claimKey(p.metadata?.namespace ?? '', c)); };
  const allClaims = (): void => { for (const c of pvcs.list()) controller.enqueue(claimKey(c.metadata?.namespace ?? '', c.metadata?.name ?? '')); };

  const pvcs = controller.informer<PVC>(o.client, PVCS, {}, { onAdd: claimChanged, onUpdate: (_a, c) => claimChanged(c), onDelete: (c) => { told.delete(c.metadata?.uid ?? ''); claimChanged(c); } });
  const pvs = controller.informer<PV>(o.client, PVS, {}, { onAdd: volumeChanged, onUpdate: (_a, v) => volumeChanged(v), onDelete: volumeChanged });
  const classes = controller.informer<StorageClass>(o.client, STORAGE_CLASSES, {}, { onAdd: allClaims, onUpdate: allClaims });
  const pods = controller.informer<PodLike>(o.client, PODS, {}, { onAdd: podChanged, onUpdate: (a, p) => { podChanged(a); podChanged(p); }, onDelete: podChanged });
  const nodes = controller.informer<NodeLike>(o.client, NODES, {}, { onAdd: allClaims });

  async function tell(recorder: EventRecorder, obj: PVC | PV, e: EventSpec | undefined): Promise<void> {
    if (!e) return;
    const uid = obj.metadata?.uid ?? '';
    const what = `${e.reason}\n${e.message}`;
    if (told.get(uid) === what) return;
    told.set(uid, what);
    await recorder.event(obj, e.type, e.reason, e.message);
  }

  async function reconcile(key: string): Promise<ReconcileResult | void> {
    const { namespace, name } = splitKey(key.slice(2));
    try {
      if (key.startsWith('c:')) await reconcileClaim(namespace, name);
      else await reconcileVolume(name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async function reconcileClaim(ns: string, name: string): Promise<void> {
    const claim = pvcs.get(ns, name);
    if (!claim) return;
    const world = { volumes: pvs.list(), classes: classes.list(), pods: pods.list().filter((p) => p.metadata?.namespace === ns), nodes: nodes.list() };
    const a = claimStep(claim, world);
    const obj = { ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
    switch (a.kind) {
      case 'none': await tell(binderEvents, obj, a.event); return;
      case 'releaseFinalizer':
        await o.client.update(PVCS, ns, { ...obj, metadata: { ...claim.metadata, finalizers: claim.metadata!.finalizers!.filter((f) => f !== PVC_PROTECTION) } }, { fieldManager: PV_CONTROLLER });
        return;
      case 'setClass':
        await o.client.update(PVCS, ns, { ...obj, spec: { ...claim.spec, storageClassName: a.className } }, { fieldManager: PV_CONTROLLER });
        return;
      case 'bindVolume': {
        const pv = pvs.get('', a.volume)!;
        const md = claim.metadata!;
        await o.client.update(PVS, undefined, {
          ...pv, apiVersion: 'v1', kind: 'PersistentVolume',
          metadata: { ...pv.metadata, annotations: { ...(pv.metadata?.annotations ?? {}), BOUND_BY_CONTROLLER: 'yes' } },
          spec: { ...pv.spec, claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: md.namespace, name: md.name, uid: md.uid, resourceVersion: md.resourceVersion } },
        }, { fieldManager: PV_CONTROLLER });
        return;
      }
      case 'completeBinding': return completeBinding(claim, pvs.get('', a.volume)!);
      case 'provision': return provision(claim, a.node, a.storageClass);
      case 'lost':
        await o.client.update(PVCS, ns, { ...obj, status: { ...claim.status, phase: 'Lost' } }, { subresource: 'status', fieldManager: PV_CONTROLLER });
        await tell(binderEvents, obj, a.event);
    }
  }

  async function completeBinding(claim: PVC, pv: PV): Promise<void> {
    const obj = { ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
    const spec = boundClaimSpec(obj, pv, pv.metadata?.annotations?.[BOUND_BY_CONTROLLER] === 'yes');
    if (spec) { await o.client.update(PVCS, claim.metadata!.namespace, spec, { fieldManager: PV_CONTROLLER }); return; }
    const status = boundClaimStatus(pv);
    if (JSON.stringify(claim.status ?? {}) === JSON.stringify(status)) return;
    await o.client.update(PVCS, claim.metadata!.namespace, { ...obj, status }, { subresource: 'status', fieldManager: PV_CONTROLLER });
  }

  async function provision(claim: PVC, node: string, cls: StorageClass): Promise<void> {
    const obj = { ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
    if (!o.storageDir) {
      await tell(provisionerEvents, obj, { type: 'Warning', reason: 'ProvisioningFailed', message: 'no storage directory is configured for local-path volumes' });
      return;
    }
    const md = claim.metadata!;
    await tell(provisionerEvents, obj, { type: 'Normal', reason: 'Provisioning', message: `External provisioner is provisioning volume for claim "${md.namespace}/${md.name}"` });
    const hostname = nodes.get('', node)?.metadata?.labels?.[HOSTNAME_LABEL] ?? node;
    const pv = provisionedVolume(claim, cls, node, hostname, o.storageDir);
    try {
      await o.client.create(PVS, undefined, pv, { fieldManager: LOCAL_PATH_PROVISIONER });
    } catch (e) {
      if (isAlreadyExists(e)) return;
      await tell(provisionerEvents, obj, { type: 'Warning', reason: 'ProvisioningFailed', message: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    await provisionerEvents.event(obj, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata!.name}`);
  }

  async function reconcileVolume(name: string): Promise<void> {
    const pv = pvs.get('', name);
    if (!pv) return;
    const a = volumeStep(pv, (ns, n) => pvcs.get(ns, n));
    const obj = { ...pv, apiVersion: 'v1', kind: 'PersistentVolume' };
    switch (a.kind) {
      case 'none': return;
      case 'releaseFinalizer':
        await o.client.update(PVS, undefined, { ...obj, metadata: { ...pv.metadata, finalizers: pv.metadata!.finalizers!.filter((f) => f !== PV_PROTECTION) } }, { fieldManager: PV_CONTROLLER });
        return;
      case 'setPhase': {
        const status = { phase: a.phase, ...(a.reason ? { reason: a.reason } : {}), ...(a.message ? { message: a.message } : {}), lastPhaseTransitionTime: rfc3339(clock.now()) };
        await o.client.update(PVS, undefined, { ...obj, status }, { subresource: 'status', fieldManager: PV_CONTROLLER });
        await tell(binderEvents, obj, a.event);
        return;
      }
      case 'delete':
        if (a.localPath) removeVolumeDir(a.localPath, pv);
        await o.client.delete(PVS, undefined, name, { preconditions: { uid: pv.metadata?.uid } });
    }
  }

  /** Removes a local-path directory: only under storageDir, only a `pvc-…` directory, only on the local node. */
  function removeVolumeDir(path: string, pv: PV): void {
    const node = pv.metadata?.annotations?.['local.path.provisioner/selected-node'];
    if (!o.storageDir || (o.localNode !== undefined && node !== undefined && node !== o.localNode)) return;
    const full = resolve(path);
    if (dirname(full) !== resolve(o.storageDir) || !basename(full).startsWith('pvc-')) return;
    rmSync(full, { recursive: true, force: true });
    o.log?.debug({ volume: pv.metadata?.name, path: full }, 'Removed the directory of a deleted local-path volume');
  }

  async function ensureLocalPathClass(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; attempt < 20 && !signal.aborted; attempt++) {
      try {
        await o.client.get(STORAGE_CLASSES, undefined, LOCAL_PATH_CLASS);
        return;
      } catch (e) {
        try {
          if (isNotFound(e)) { await o.client.create(STORAGE_CLASSES, undefined, localPathClass(), { fieldManager: PV_CONTROLLER }); return; }
        } catch (e2) {
          if (isAlreadyExists(e2)) return;
        }
      }
      await new Promise((ok) => clock.setTimeout(() => ok(undefined), 500));
    }
    o.log?.warn({ class: LOCAL_PATH_CLASS }, 'Could not create the local-path StorageClass');
  }

  return {
    controller,
    run: async (signal) => { await Promise.all([ensureLocalPathClass(signal), controller.run(signal)]); },
  };
}

