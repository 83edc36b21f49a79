// agent/kuberuntime/container-config.ts — PURE: a v1 Container of a pod → the CRI ContainerConfig.
//
// The kubelet's generateContainerConfig: command/args with $(VAR) expansion against the resolved env (env.ts
// resolved and expanded it already), mounts (volumes prepared by volumes.ts; subPath as written,
// subPathExpr expanded; readOnly; propagation; the termination-message file), resources (resources.ts),
// security context and the runAsNonRoot check (security.ts), stop signal, tty/stdin.
// It never touches the file system or the runtime; the executor hands it everything it needs.
import { totalmem } from 'node:os';
import type { ContainerConfig, Mount, ContainerMetadata, MountPropagation } from '../../cri/api.js';
import type { Container, Pod } from '../api/v1.js';
import type { ContainerType } from './types.js';
import { containerAnnotations, containerLabels } from './labels.js';
import { ContainerConfigError } from './errors.js';
import { expandVars } from './expand.js';
import { linuxResources } from './resources.js';
import { linuxSecurityContext, verifyRunAsNonRoot } from './security.js';

export { ContainerConfigError } from './errors.js';
export { expandEnv, expandVars } from './expand.js';

export interface PreparedVolume {
  readonly hostPath: string;
  /** Memory-backed (emptyDir medium: Memory): a tmpfs shared by the pod's containers. */
  readonly tmpfs?: { sizeBytes?: number; mode?: number; gid?: number };
  /** Always mounted read-only (configMap, secret, downwardAPI, projected). */
  readonly readOnly?: boolean;
}

export interface ContainerConfigContext {
  readonly restartCount: number;
  /** Host file bind-mounted at terminationMessagePath. */
  readonly termMsgHostPath: string;
  /** Prepared volumes by name. */
  readonly volumes: ReadonlyMap<string, PreparedVolume>;
  /** The final environment (env.ts resolveEnv: refs resolved, values expanded), in order. */
  readonly env: readonly { name: string; value: string }[];
  /** The image reference to create from (the image manager's answer); defaults to the spec's image. */
  readonly imageRef?: string;
  /** The image's USER ('' = root); needed when runAsNonRoot must be verified or runAsGroup paired. */
  readonly imageUser?: string;
  /** Host path to bind for a subPath of a prepared volume (volumes.ts resolveSubPath); default: joined. */
  readonly subPath?: (volume: PreparedVolume, sub: string) => string;
  /** Node memory capacity for the Burstable OOM score (default: this machine's). */
  readonly nodeMemoryBytes?: number;
  /** Directory of Localhost seccomp profiles (<rootDir>/seccomp). */
  readonly seccompRoot?: string;
}

const PROPAGATION: Record<string, MountPropagation> = {
  None: 'PROPAGATION_PRIVATE', HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER', Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

function mountsOf(c: Container, ctx: ContainerConfigContext, vars: ReadonlyMap<string, string>): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const v = ctx.volumes.get(vm.name);
    if (!v) throw new ContainerConfigError(`cannot find volume "${vm.name}" to mount into container "${c.name}"`);
    const sub = vm.subPath ? vm.subPath : vm.subPathExpr ? expandVars(vm.subPathExpr, vars) : '';
    if (sub && (sub.startsWith('/') || sub.split('/').includes('..'))) {
      throw new ContainerConfigError(`failed to prepare subPath for volumeMount "${vm.name}" of container "${c.name}"`);
    }
    const propagation = vm.mountPropagation ? PROPAGATION[vm.mountPropagation] : undefined;
    const common = { containerPath: vm.mountPath, readonly: !!vm.readOnly || !!v.readOnly, ...(propagation && propagation !== 'PROPAGATION_PRIVATE' ? { propagation } : {}) };
    if (v.tmpfs) {
      mounts.push({ ...common, hostPath: v.hostPath, tmpfs: v.tmpfs, ...(sub ? { subPath: sub } : {}) });
      continue;
    }
    let hostPath = v.hostPath;
    if (sub) {
      try {
        hostPath = ctx.subPath ? ctx.subPath(v, sub) : `${v.hostPath}/${sub}`;
      } catch (err) {
        if (err instanceof ContainerConfigError) throw err;
        throw new ContainerConfigError(`failed to prepare subPath for volumeMount "${vm.name}" of container "${c.name}"`);
      }
    }
    mounts.push({ ...common, hostPath });
  }
  const termPath = c.terminationMessagePath ?? '/dev/termination-log';
  if (!mounts.some((m) => m.containerPath === termPath)) {
    mounts.push({ containerPath: termPath, hostPath: ctx.termMsgHostPath });
  }
  return mounts;
}

export function generateContainerConfig(pod: Pod, c: Container, type: ContainerType, ctx: ContainerConfigContext): ContainerConfig {
  const vars = new Map(ctx.env.map((e) => [e.name, e.value]));
  const metadata: ContainerMetadata = { name: c.name, attempt: ctx.restartCount };
  const mounts = mountsOf(c, ctx, vars);
  verifyRunAsNonRoot(pod, c, ctx.imageUser);
  return {
    metadata,
    image: ctx.imageRef ?? c.image ?? '',
    command: c.command?.map((s) => expandVars(s, vars)),
    args: c.args?.map((s) => expandVars(s, vars)),
    workingDir: c.workingDir,
    envs: ctx.env.map((e) => ({ key: e.name, value: e.value })),
    mounts,
    labels: containerLabels(),
    annotations: containerAnnotations(pod, c, type, ctx.restartCount, ctx.termMsgHostPath),
    stdin: !!c.stdin,
    stdinOnce: !!c.stdinOnce,
    tty: !!c.tty,
    stopSignal: (c.lifecycle as { stopSignal?: string } | undefined)?.stopSignal,
    linux: {
      resources: linuxResources(pod, c, ctx.nodeMemoryBytes ?? totalmem()),
      securityContext: linuxSecurityContext(pod, c, ctx.imageUser, ctx.seccompRoot ?? '/var/lib/kubelet/seccomp'),
    },
  };
}

