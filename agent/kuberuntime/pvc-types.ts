// agent/kuberuntime/pvc-types.ts — what the kubelet knows of a PersistentVolumeClaim and its volume (the shapes
// pvc.ts mounts and api-client/claim-source.ts fills), apart so that env.ts's ConfigStore can name the resolver
// without importing pvc.ts. Types only.

/** What the node knows of a claim and its volume; `known` false until the first answer of the API. */
export interface ClaimLookup {
  readonly known: boolean;
  readonly claim?: ClaimObject;
  readonly volume?: VolumeObject;
}

export interface ClaimObject {
  metadata?: { name?: string; namespace?: string; uid?: string; deletionTimestamp?: string };
  spec?: { volumeName?: string };
  status?: { phase?: string };
}

export interface VolumeObject {
  metadata?: { name?: string; deletionTimestamp?: string };
  spec?: { hostPath?: { path: string; type?: string }; local?: { path: string }; claimRef?: { uid?: string } };
}

export type ClaimResolver = (namespace: string, claimName: string) => ClaimLookup;
