// control-plane/registry/proto/index.ts — the protobuf layouts of the workload kinds (a KindDef's
// `protobuf:`) and of the messages they are made of, for kinds still to come (DaemonSet, StatefulSet: their
// specs embed POD_TEMPLATE_SPEC and LABEL_SELECTOR).
export { CRON_JOB, DEPLOYMENT, JOB, JOB_SPEC } from './workloads.js';
export { POD_SPEC, POD_TEMPLATE_SPEC } from './pod.js';
export { CONTAINER } from './container.js';
export { LABEL_SELECTOR, OBJECT_META } from './meta.js';
