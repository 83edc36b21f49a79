// agent/kuberuntime/errors.ts — the two ways preparing a container can fail before the runtime is called.
//
// ContainerConfigError → the container waits with CreateContainerConfigError (a missing ConfigMap/Secret key
// in env, runAsNonRoot, a bad subPath); VolumeError → a FailedMount event while the pod stays
// ContainerCreating (a missing ConfigMap/Secret for a volume, a hostPath type check), as with the kubelet.
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

export class VolumeError extends Error {
  override readonly name = 'VolumeError';
}

/** `MountVolume.SetUp failed for volume "<name>" : <detail>` */
export function mountFailed(volume: string, detail: string): VolumeError {
  return new VolumeError(`MountVolume.SetUp failed for volume "${volume}" : ${detail}`);
}
