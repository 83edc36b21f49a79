// control-plane/registry/proto/meta.ts — protobuf layouts of the meta/v1 messages the workload kinds embed:
// LabelSelector (with its requirements) and ObjectMeta (shared with ConfigMap/Secret/Namespace: common.ts).
//
// PURE data (k8s.io/apimachinery pkg/apis/meta/v1 generated.proto field numbers).
import { OBJECT_META } from '../common.js';
import type { ProtoMessage } from '../types.js';
import { list, map, str, strs } from './fields.js';

export { OBJECT_META };

const LABEL_SELECTOR_REQUIREMENT: ProtoMessage = { 1: str('key'), 2: str('operator'), 3: strs('values') };

export const LABEL_SELECTOR: ProtoMessage = { 1: map('matchLabels'), 2: list('matchExpressions', LABEL_SELECTOR_REQUIREMENT) };
