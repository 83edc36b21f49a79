// control-plane/registry/proto/pod.ts — protobuf layout of core/v1 PodTemplateSpec → PodSpec: containers and
// init containers (container.ts), volumes with the common sources (emptyDir, configMap, secret, hostPath,
// persistentVolumeClaim, downwardAPI, projected), tolerations, affinity, and the pod-level settings.
//
// PURE data (k8s.io/api core/v1 generated.proto field numbers).
import type { ProtoMessage } from '../types.js';
import {
  CONTAINER, LOCAL_OBJECT_REFERENCE, OBJECT_FIELD_SELECTOR, POD_SECURITY_CONTEXT, RESOURCE_FIELD_SELECTOR,
} from './container.js';
import { bool, bool0, inline, int, list, map, msg, qty, str, strs } from './fields.js';
import { LABEL_SELECTOR, OBJECT_META } from './meta.js';

const KEY_TO_PATH: ProtoMessage = { 1: str('key'), 2: str('path'), 3: int('mode') };
const localRef = inline('LocalObjectReference', LOCAL_OBJECT_REFERENCE);
/** ConfigMapVolumeSource / ConfigMapProjection / SecretProjection (defaultMode only in the volume source). */
const NAMED_ITEMS: ProtoMessage = { 1: localRef, 2: list('items', KEY_TO_PATH), 3: int('defaultMode'), 4: bool('optional') };
const DOWNWARD_API_FILE: ProtoMessage = {
  1: str('path'), 2: msg('fieldRef', OBJECT_FIELD_SELECTOR), 3: msg('resourceFieldRef', RESOURCE_FIELD_SELECTOR), 4: int('mode'),
};
const DOWNWARD_API: ProtoMessage = { 1: list('items', DOWNWARD_API_FILE), 2: int('defaultMode') };

const VOLUME_PROJECTION: ProtoMessage = {
  1: msg('secret', NAMED_ITEMS), 2: msg('downwardAPI', DOWNWARD_API), 3: msg('configMap', NAMED_ITEMS),
  4: msg('serviceAccountToken', { 1: str('audience'), 2: int('expirationSeconds'), 3: str('path') }),
};

const VOLUME_SOURCE: ProtoMessage = {
  1: msg('hostPath', { 1: str('path'), 2: str('type') }),
  2: msg('emptyDir', { 1: str('medium'), 2: qty('sizeLimit') }),
  6: msg('secret', { 1: str('secretName'), 2: list('items', KEY_TO_PATH), 3: int('defaultMode'), 4: bool('optional') }),
  10: msg('persistentVolumeClaim', { 1: str('claimName'), 2: bool0('readOnly') }),
  16: msg('downwardAPI', DOWNWARD_API),
  19: msg('configMap', NAMED_ITEMS),
  26: msg('projected', { 1: list('sources', VOLUME_PROJECTION), 2: int('defaultMode') }),
};

const VOLUME: ProtoMessage = { 1: str('name'), 2: inline('VolumeSource', VOLUME_SOURCE) };

const TOLERATION: ProtoMessage = { 1: str('key'), 2: str('operator'), 3: str('value'), 4: str('effect'), 5: int('tolerationSeconds') };

const NODE_SELECTOR_REQUIREMENT: ProtoMessage = { 1: str('key'), 2: str('operator'), 3: strs('values') };
const NODE_SELECTOR_TERM: ProtoMessage = { 1: list('matchExpressions', NODE_SELECTOR_REQUIREMENT), 2: list('matchFields', NODE_SELECTOR_REQUIREMENT) };
const NODE_AFFINITY: ProtoMessage = {
  1: msg('requiredDuringSchedulingIgnoredDuringExecution', { 1: list('nodeSelectorTerms', NODE_SELECTOR_TERM) }),
  2: list('preferredDuringSchedulingIgnoredDuringExecution', { 1: int('weight'), 2: msg('preference', NODE_SELECTOR_TERM) }),
};
const POD_AFFINITY_TERM: ProtoMessage = {
  1: msg('labelSelector', LABEL_SELECTOR), 2: strs('namespaces'), 3: str('topologyKey'), 4: msg('namespaceSelector', LABEL_SELECTOR),
  5: strs('matchLabelKeys'), 6: strs('mismatchLabelKeys'),
};
const POD_AFFINITY: ProtoMessage = {
  1: list('requiredDuringSchedulingIgnoredDuringExecution', POD_AFFINITY_TERM),
  2: list('preferredDuringSchedulingIgnoredDuringExecution', { 1: int('weight'), 2: msg('podAffinityTerm', POD_AFFINITY_TERM) }),
};
const AFFINITY: ProtoMessage = { 1: msg('nodeAffinity', NODE_AFFINITY), 2: msg('podAffinity', POD_AFFINITY), 3: msg('podAntiAffinity', POD_AFFINITY) };

export const POD_SPEC: ProtoMessage = {
  1: list('volumes', VOLUME), 20: list('initContainers', CONTAINER), 2: list('containers', CONTAINER),
  3: str('restartPolicy'), 4: int('terminationGracePeriodSeconds'), 5: int('activeDeadlineSeconds'), 6: str('dnsPolicy'),
  7: map('nodeSelector'), 8: str('serviceAccountName'), 9: str('serviceAccount'), 21: bool('automountServiceAccountToken'),
  10: str('nodeName'), 11: bool0('hostNetwork'), 12: bool0('hostPID'), 13: bool0('hostIPC'), 27: bool('shareProcessNamespace'),
  14: msg('securityContext', POD_SECURITY_CONTEXT), 15: list('imagePullSecrets', LOCAL_OBJECT_REFERENCE),
  16: str('hostname'), 17: str('subdomain'), 18: msg('affinity', AFFINITY), 19: str('schedulerName'),
  22: list('tolerations', TOLERATION), 23: list('hostAliases', { 1: str('ip'), 2: strs('hostnames') }),
  24: str('priorityClassName'), 25: int('priority'),
  26: msg('dnsConfig', { 1: strs('nameservers'), 2: strs('searches'), 3: list('options', { 1: str('name'), 2: str('value') }) }),
  28: list('readinessGates', { 1: str('conditionType') }), 29: str('runtimeClassName'), 30: bool('enableServiceLinks'),
  31: str('preemptionPolicy'), 35: bool('setHostnameAsFQDN'), 36: msg('os', { 1: str('name') }), 37: bool('hostUsers'),
};

export const POD_TEMPLATE_SPEC: ProtoMessage = { 1: msg('metadata', OBJECT_META), 2: msg('spec', POD_SPEC) };
