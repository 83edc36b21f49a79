// agent/kuberuntime/pvc.ts — a pod's persistentVolumeClaim volume, as the kubelet's volume manager resolves it:
// the claim (from the API, through the ConfigStore's getVolumeClaim), which must be Bound and not being
// deleted, then its PersistentVolume, whose hostPath (created when missing, mode 0777 as local-path makes it) or
// local path is bind-mounted (readOnly when the pod's volume says so). Until then a VolumeError with the
// kubelet's words keeps the pod ContainerCreating with FailedMount events:
//   Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process
//   volumes=[data]: error processing PVC default/x: failed to fetch PVC from API server: persistentvolumeclaims "x" not found
// Only pods of the API have their claims resolved; a static pod (folder, URL) or a kubelet without an API keeps the
// old approximation, an empty directory (spec-support reports the field as ignored for them).
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import type { Pod, Volume } from '../api/v1.js';
import type { PreparedVolume } from './container-config.js';
import { VolumeError } from './errors.js';
import type { ClaimLookup, ClaimResolver, VolumeObject } from './pvc-types.js';

export type { ClaimLookup, ClaimObject, ClaimResolver, VolumeObject } from './pvc-types.js';

function failed(volume: string, detail: string): VolumeError {
  return new VolumeError(`Unable to attach or mount volumes: unmounted volumes=[${volume}], unattached volumes=[], failed to process volumes=[${volume}]: ${detail}`);
}

/** Why the claim cannot be mounted yet (the kubelet's text after "error processing PVC ns/name: "), or its volume. */
export function claimProblem(lookup: ClaimLookup, claimName: string): string | VolumeObject {
  if (!lookup.known) return 'waiting for the claim to be read from the API server';
  const { claim, volume } = lookup;
  if (!claim) return `failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`;
  if (claim.metadata?.deletionTimestamp) return `can't start pod because PVC ${claim.metadata.namespace}/${claimName} is being deleted`;
  const pvName = claim.spec?.volumeName;
  if (claim.status?.phase !== 'Bound' || !pvName) return 'PVC is not bound';
  if (!volume) return `failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`;
  if (volume.spec?.claimRef?.uid && volume.spec.claimRef.uid !== claim.metadata?.uid) {
    return `failed to fetch PV ${pvName} from API server: the PV's claimRef does not name this claim (UID ${claim.metadata?.uid ?? ''})`;
  }
  return volume;
}

/** The host directory of a claim's volume, set up for binding; throws a VolumeError while it cannot be. */
export function prepareClaimVolume(pod: Pod, v: Volume, resolve: ClaimResolver): PreparedVolume {
  const ns = pod.metadata?.namespace ?? 'default';
  const claimName = v.persistentVolumeClaim?.claimName ?? '';
  const found = claimProblem(resolve(ns, claimName), claimName);
  if (typeof found === 'string') throw failed(v.name, `error processing PVC ${ns}/${claimName}: ${found}`);
  const readOnly = v.persistentVolumeClaim?.readOnly === true;
  const hp = found.spec?.hostPath;
  const path = hp?.path ?? found.spec?.local?.path;
  const setUp = (detail: string): VolumeError => new VolumeError(`MountVolume.SetUp failed for volume "${found.metadata?.name ?? ''}" : ${detail}`);
  if (!path) throw setUp('only hostPath and local volumes can be mounted on this node');
  if (!existsSync(path)) {
    // hostPath DirectoryOrCreate (what local-path provisions) and an untyped hostPath are made; a local path must exist.
    if (!hp || (hp.type !== undefined && hp.type !== '' && hp.type !== 'DirectoryOrCreate')) throw setUp(`path "${path}" does not exist`);
    mkdirSync(path, { recursive: true, mode: 0o777 });
    chmodSync(path, 0o777);
  } else if (!statSync(path).isDirectory() && hp?.type !== 'File' && hp?.type !== 'FileOrCreate') {
    throw setUp(`hostPath type check failed: ${path} is not a directory`);
  }
  return readOnly ? { hostPath: path, readOnly: true } : { hostPath: path };
}

/** Does the pod mount this claim of its namespace? (to wake the pods that wait on a claim that changed) */
export const mountsClaim = (pod: Pod, namespace: string, claim: string): boolean =>
  (pod.metadata?.namespace ?? 'default') === namespace && (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim);

/** Claims are resolved for pods of the API only (a static pod's claim stays an empty directory). */
export const claimsResolvedFor = (pod: Pod): boolean => pod.metadata?.annotations?.['kubernetes.io/config.source'] === 'api';
