// agent/api/v1.ts — the Kubernetes v1 types the agent uses, re-exported from the types-only package
// `kubernetes-types` so every module imports them from one place.
export type {
  Pod,
  PodSpec,
  PodStatus,
  PodCondition,
  Container,
  ContainerStatus as V1ContainerStatus,
  ContainerState as V1ContainerState,
  ContainerPort,
  Probe,
  LifecycleHandler,
  Lifecycle,
  EnvVar,
  Volume,
  VolumeMount,
  ConfigMap,
  Secret,
  Event,
  ObjectReference,
  PodList,
  Node,
  ExecAction,
  HTTPGetAction,
  TCPSocketAction,
  GRPCAction,
} from 'kubernetes-types/core/v1.js';
export type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
