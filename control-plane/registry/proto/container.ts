// control-plane/registry/proto/container.ts — protobuf layout of core/v1 Container and what it holds: ports,
// env (value and valueFrom), envFrom, resources (Quantity maps), volumeMounts, the three probes and their
// handlers, lifecycle hooks, the security context basics.
//
// PURE data (k8s.io/api core/v1 generated.proto field numbers).
import type { ProtoMessage } from '../types.js';
import { bool, bool0, inline, int, int0, intOrStr, ints, list, msg, qty, qtyMap, str, strs } from './fields.js';

/** LocalObjectReference {name}, embedded inline in the key selectors and env sources. */
export const LOCAL_OBJECT_REFERENCE: ProtoMessage = { 1: str('name') };
const localRef = inline('LocalObjectReference', LOCAL_OBJECT_REFERENCE);

export const OBJECT_FIELD_SELECTOR: ProtoMessage = { 1: str('apiVersion'), 2: str('fieldPath') };
export const RESOURCE_FIELD_SELECTOR: ProtoMessage = { 1: str('containerName'), 2: str('resource'), 3: qty('divisor') };
const KEY_SELECTOR: ProtoMessage = { 1: localRef, 2: str('key'), 3: bool('optional') };
const ENV_SOURCE: ProtoMessage = { 1: localRef, 2: bool('optional') };

const ENV_VAR_SOURCE: ProtoMessage = {
  1: msg('fieldRef', OBJECT_FIELD_SELECTOR), 2: msg('resourceFieldRef', RESOURCE_FIELD_SELECTOR),
  3: msg('configMapKeyRef', KEY_SELECTOR), 4: msg('secretKeyRef', KEY_SELECTOR),
};
const ENV_VAR: ProtoMessage = { 1: str('name'), 2: str('value'), 3: msg('valueFrom', ENV_VAR_SOURCE) };
const ENV_FROM_SOURCE: ProtoMessage = { 1: str('prefix'), 2: msg('configMapRef', ENV_SOURCE), 3: msg('secretRef', ENV_SOURCE) };

const CONTAINER_PORT: ProtoMessage = { 1: str('name'), 2: int0('hostPort'), 3: int('containerPort'), 4: str('protocol'), 5: str('hostIP') };

const RESOURCES: ProtoMessage = { 1: qtyMap('limits'), 2: qtyMap('requests'), 3: list('claims', { 1: str('name'), 2: str('request') }) };

const VOLUME_MOUNT: ProtoMessage = {
  1: str('name'), 2: bool0('readOnly'), 7: str('recursiveReadOnly'), 3: str('mountPath'), 4: str('subPath'),
  5: str('mountPropagation'), 6: str('subPathExpr'),
};

const EXEC: ProtoMessage = { 1: strs('command') };
const HTTP_GET: ProtoMessage = {
  1: str('path'), 2: intOrStr('port'), 3: str('host'), 4: str('scheme'), 5: list('httpHeaders', { 1: str('name'), 2: str('value') }),
};
const TCP_SOCKET: ProtoMessage = { 1: intOrStr('port'), 2: str('host') };

const PROBE_HANDLER: ProtoMessage = {
  1: msg('exec', EXEC), 2: msg('httpGet', HTTP_GET), 3: msg('tcpSocket', TCP_SOCKET), 4: msg('grpc', { 1: int('port'), 2: str('service') }),
};
const PROBE: ProtoMessage = {
  1: inline('ProbeHandler', PROBE_HANDLER), 2: int0('initialDelaySeconds'), 3: int0('timeoutSeconds'), 4: int0('periodSeconds'),
  5: int0('successThreshold'), 6: int0('failureThreshold'), 7: int('terminationGracePeriodSeconds'),
};

const LIFECYCLE_HANDLER: ProtoMessage = {
  1: msg('exec', EXEC), 2: msg('httpGet', HTTP_GET), 3: msg('tcpSocket', TCP_SOCKET), 4: msg('sleep', { 1: int('seconds') }),
};
const LIFECYCLE: ProtoMessage = { 1: msg('postStart', LIFECYCLE_HANDLER), 2: msg('preStop', LIFECYCLE_HANDLER), 3: str('stopSignal') };

export const SECCOMP_PROFILE: ProtoMessage = { 1: str('type'), 2: str('localhostProfile') };

const SECURITY_CONTEXT: ProtoMessage = {
  1: msg('capabilities', { 1: strs('add'), 2: strs('drop') }), 2: bool('privileged'), 4: int('runAsUser'), 8: int('runAsGroup'),
  5: bool('runAsNonRoot'), 6: bool('readOnlyRootFilesystem'), 7: bool('allowPrivilegeEscalation'), 9: str('procMount'),
  11: msg('seccompProfile', SECCOMP_PROFILE),
};

/** core/v1 Container (also an init container). */
export const CONTAINER: ProtoMessage = {
  1: str('name'), 2: str('image'), 3: strs('command'), 4: strs('args'), 5: str('workingDir'),
  6: list('ports', CONTAINER_PORT), 19: list('envFrom', ENV_FROM_SOURCE), 7: list('env', ENV_VAR),
  8: msg('resources', RESOURCES), 23: list('resizePolicy', { 1: str('resourceName'), 2: str('restartPolicy') }), 24: str('restartPolicy'),
  9: list('volumeMounts', VOLUME_MOUNT),
  10: msg('livenessProbe', PROBE), 11: msg('readinessProbe', PROBE), 22: msg('startupProbe', PROBE), 12: msg('lifecycle', LIFECYCLE),
  13: str('terminationMessagePath'), 20: str('terminationMessagePolicy'), 14: str('imagePullPolicy'),
  15: msg('securityContext', SECURITY_CONTEXT), 16: bool0('stdin'), 17: bool0('stdinOnce'), 18: bool0('tty'),
};

/** PodSecurityContext basics. */
export const POD_SECURITY_CONTEXT: ProtoMessage = {
  2: int('runAsUser'), 6: int('runAsGroup'), 3: bool('runAsNonRoot'), 4: ints('supplementalGroups'), 12: str('supplementalGroupsPolicy'),
  5: int('fsGroup'), 7: list('sysctls', { 1: str('name'), 2: str('value') }), 9: str('fsGroupChangePolicy'),
  10: msg('seccompProfile', SECCOMP_PROFILE),
};
