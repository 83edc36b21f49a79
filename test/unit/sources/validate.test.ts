// Table tests of validatePod: each case mutates a valid pod and names the exact errors (field + message).
// A message ending in "…" is matched as a prefix.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { applyPodDefaults } from '../../../agent/api/defaults.js';
import { validateConfigObject, validatePod, type FieldError } from '../../../agent/sources/validate.js';
import { prefixOrExact } from '../../helpers/unconditional.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base = (): Any => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 80 }] }],
    volumes: [{ name: 'data', emptyDir: {} }],
  },
});
const c0 = (p: Any): Any => p.spec.containers[0];
const matches = (errs: FieldError[], want: [string, string][]): void => {
  expect(errs.map((e) => [e.field, e.message])).toEqual(want.map(([field, message]) => [field, prefixOrExact(message)]));
};
const SUBDOMAIN = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
const LABEL = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
const INIT_FORBIDDEN = 'Forbidden: may not be set for init containers without restartPolicy=Always';

describe('validatePod: valid pods', () => {
  it.each([
    ['the base pod', (_p: Any) => {}],
    ['a sidecar with probes and hooks', (p: Any) => { p.spec.initContainers = [{ name: 'side', image: 'busybox', restartPolicy: 'Always', livenessProbe: { exec: { command: ['true'] } }, lifecycle: { preStop: { sleep: { seconds: 5 } } } }]; }],
    ['a readiness probe with successThreshold 3', (p: Any) => { c0(p).readinessProbe = { httpGet: { port: 'http' }, successThreshold: 3 }; }],
    ['a tcpSocket hook (refused only when it runs)', (p: Any) => { c0(p).lifecycle = { postStart: { tcpSocket: { port: 80 } } }; }],
    ['a sleep hook of 0 s', (p: Any) => { c0(p).lifecycle = { preStop: { sleep: { seconds: 0 } } }; }],
    ['a sleep hook equal to the grace period', (p: Any) => { p.spec.terminationGracePeriodSeconds = 10; c0(p).lifecycle = { preStop: { sleep: { seconds: 10 } } }; }],
    ['a grpc probe', (p: Any) => { c0(p).livenessProbe = { grpc: { port: 9000 }, terminationGracePeriodSeconds: 5 }; }],
    ['dnsPolicy None with nameservers', (p: Any) => { p.spec.dnsPolicy = 'None'; p.spec.dnsConfig = { nameservers: ['1.1.1.1'] }; }],
    ['hostNetwork with matching ports', (p: Any) => { p.spec.hostNetwork = true; c0(p).ports[0].hostPort = 80; }],
    ['labels and annotations with prefixes', (p: Any) => { p.metadata.labels = { 'app.kubernetes.io/name': 'web', tier: '' }; p.metadata.annotations = { 'example.com/Note': 'x' }; }],
    ['resources within limits', (p: Any) => { c0(p).resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '1Gi', 'example.com/gpu': '1' } }; }],
    ['a status and server fields as kubectl prints them', (p: Any) => { p.status = { phase: 'Running' }; p.metadata.uid = 'x'; p.metadata.creationTimestamp = null; p.metadata.resourceVersion = '1'; }],
  ])('%s', (_name, mutate) => {
    const p = base();
    mutate(p);
    expect(validatePod(p as Pod)).toEqual([]);
    expect(validatePod(applyPodDefaults(p as Pod))).toEqual([]);
  });
});

describe('validatePod: rules', () => {
  it.each<[string, (p: Any) => void, [string, string][]]>([
    ['name with underscores (the Job slide)', (p) => { p.metadata.name = 'very_good_job'; }, [['metadata.name', `Invalid value: "very_good_job": ${SUBDOMAIN}; try "very-good-job"`]]],
    ['name too long', (p) => { p.metadata.name = 'a'.repeat(254); }, [['metadata.name', 'Invalid value: "aaaa…']]],
    ['name missing', (p) => { delete p.metadata.name; }, [['metadata.name', 'Required value: name is required']]],
    ['namespace not a label', (p) => { p.metadata.namespace = 'my.ns'; }, [['metadata.namespace', `Invalid value: "my.ns": ${LABEL}; try "my-ns"`]]],
    ['label key invalid', (p) => { p.metadata.labels = { 'bad key': 'x' }; }, [['metadata.labels', `Invalid value: "bad key": name part must consist of alphanumeric characters…`]]],
    ['label value invalid', (p) => { p.metadata.labels = { app: '-web-' }; }, [['metadata.labels', `Invalid value: "-web-": a valid label must be an empty string or consist of…`]]],
    ['no spec', (p) => { delete p.spec; }, [['spec', 'Required value']]],
    ['no containers', (p) => { delete p.spec.containers; }, [['spec.containers', 'Required value']]],
    ['empty containers', (p) => { p.spec.containers = []; }, [['spec.containers', 'Required value']]],
    ['container name invalid', (p) => { c0(p).name = 'Web_1'; }, [['spec.containers[0].name', `Invalid value: "Web_1": ${LABEL}; try "web-1"`]]],
    ['container name missing', (p) => { delete c0(p).name; }, [['spec.containers[0].name', 'Required value']]],
    ['container names unique across init and regular', (p) => { p.spec.initContainers = [{ name: 'web', image: 'busybox' }]; }, [['spec.containers[0].name', 'Duplicate value: "web"']]],
    ['image missing', (p) => { delete c0(p).image; }, [['spec.containers[0].image', 'Required value']]],
    ['image with spaces', (p) => { c0(p).image = ' nginx '; }, [['spec.containers[0].image', 'Invalid value: " nginx ": must not have leading or trailing whitespace']]],
    ['imagePullPolicy unsupported', (p) => { c0(p).imagePullPolicy = 'always'; }, [['spec.containers[0].imagePullPolicy', 'Unsupported value: "always": supported values: "Always", "IfNotPresent", "Never"; did you mean "Always"?']]],
    ['containerPort 0', (p) => { c0(p).ports[0].containerPort = 0; }, [['spec.containers[0].ports[0].containerPort', 'must be between 1 and 65535, inclusive']]],
    ['containerPort missing', (p) => { delete c0(p).ports[0].containerPort; }, [['spec.containers[0].ports[0].containerPort', 'Required value']]],
    ['hostPort too big', (p) => { c0(p).ports[0].hostPort = 65536; }, [['spec.containers[0].ports[0].hostPort', 'must be between 1 and 65535, inclusive']]],
    ['port name too long', (p) => { c0(p).ports[0].name = 'a-very-long-port-name'; }, [['spec.containers[0].ports[0].name', 'Invalid value: "a-very-long-port-name": must be no more than 15 characters']]],
    ['port names unique', (p) => { c0(p).ports.push({ name: 'http', containerPort: 8080 }); }, [['spec.containers[0].ports[1].name', 'Duplicate value: "http"']]],
    ['protocol unsupported', (p) => { c0(p).ports[0].protocol = 'HTTP'; }, [['spec.containers[0].ports[0].protocol', 'Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']]],
    ['hostNetwork with another hostPort', (p) => { p.spec.hostNetwork = true; c0(p).ports[0].hostPort = 8080; }, [['spec.containers[0].ports[0].hostPort', 'must match `containerPort` when `hostNetwork` is true']]],
    ['env name invalid', (p) => { c0(p).env = [{ name: '1ST', value: 'x' }]; }, [['spec.containers[0].env[0].name', 'Invalid value: "1ST": a valid environment variable name must consist of…']]],
    ['env value and valueFrom', (p) => { c0(p).env = [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]; }, [['spec.containers[0].env[0].valueFrom', 'Invalid value: "": may not be specified when `value` is not empty']]],
    ['volume names unique', (p) => { p.spec.volumes.push({ name: 'data', emptyDir: {} }); }, [['spec.volumes[1].name', 'Duplicate value: "data"']]],
    ['volume without a source', (p) => { p.spec.volumes = [{ name: 'data' }]; }, [['spec.volumes[0]', 'Required value: must specify a volume type']]],
    ['volume with two sources', (p) => { p.spec.volumes[0].hostPath = { path: '/tmp' }; }, [['spec.volumes[0].hostPath', 'Forbidden: may not specify more than 1 volume type']]],
    ['hostPath without a path', (p) => { p.spec.volumes = [{ name: 'data', hostPath: { type: 'Directory' } }]; }, [['spec.volumes[0].hostPath.path', 'Required value']]],
    ['hostPath type unsupported', (p) => { p.spec.volumes = [{ name: 'data', hostPath: { path: '/tmp', type: 'Dir' } }]; }, [['spec.volumes[0].hostPath.type', 'Unsupported value: "Dir": supported values: "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"']]],
    ['defaultMode out of range', (p) => { p.spec.volumes = [{ name: 'data', configMap: { name: 'c', defaultMode: 644 } }]; }, [['spec.volumes[0].configMap.defaultMode', 'must be a number between 0 and 0777 (octal), both inclusive']]],
    ['volumeMount to an unknown volume', (p) => { c0(p).volumeMounts = [{ name: 'cache', mountPath: '/cache' }]; }, [['spec.containers[0].volumeMounts[0].name', 'Not found: "cache"']]],
    ['mountPath relative', (p) => { c0(p).volumeMounts = [{ name: 'data', mountPath: 'data' }]; }, [['spec.containers[0].volumeMounts[0].mountPath', 'Invalid value: "data": must be an absolute path; try "/data"']]],
    ['mountPath twice', (p) => { c0(p).volumeMounts = [{ name: 'data', mountPath: '/d' }, { name: 'data', mountPath: '/d' }]; }, [['spec.containers[0].volumeMounts[1].mountPath', 'Invalid value: "/d": must be unique']]],
    ['subPath with ..', (p) => { c0(p).volumeMounts = [{ name: 'data', mountPath: '/d', subPath: '../etc' }]; }, [['spec.containers[0].volumeMounts[0].subPath', `Invalid value: "../etc": must not contain '..'`]]],
    ['restartPolicy unsupported', (p) => { p.spec.restartPolicy = 'Sometimes'; }, [['spec.restartPolicy', 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']]],
    ['init restartPolicy other than Always', (p) => { p.spec.initContainers = [{ name: 'i', image: 'b', restartPolicy: 'Never' }]; }, [['spec.initContainers[0].restartPolicy', 'Unsupported value: "Never": supported values: "Always"']]],
    ['restartPolicy on a regular container', (p) => { c0(p).restartPolicy = 'Always'; }, [['spec.containers[0].restartPolicy', 'Forbidden: may not be set for non-init containers']]],
    ['init container with livenessProbe', (p) => { p.spec.initContainers = [{ name: 'i', image: 'b', livenessProbe: { exec: { command: ['true'] } } }]; }, [['spec.initContainers[0].livenessProbe', INIT_FORBIDDEN]]],
    ['init container with readiness, startup and lifecycle', (p) => { p.spec.initContainers = [{ name: 'i', image: 'b', readinessProbe: { exec: { command: ['true'] } }, startupProbe: { exec: { command: ['true'] } }, lifecycle: { postStart: { exec: { command: ['true'] } } } }]; },
      [['spec.initContainers[0].readinessProbe', INIT_FORBIDDEN], ['spec.initContainers[0].startupProbe', INIT_FORBIDDEN], ['spec.initContainers[0].lifecycle', INIT_FORBIDDEN]]],
    ['liveness successThreshold 2', (p) => { c0(p).livenessProbe = { httpGet: { port: 80 }, successThreshold: 2 }; }, [['spec.containers[0].livenessProbe.successThreshold', 'must be 1']]],
    ['startup successThreshold 3', (p) => { c0(p).startupProbe = { tcpSocket: { port: 80 }, successThreshold: 3 }; }, [['spec.containers[0].startupProbe.successThreshold', 'must be 1']]],
    ['probe without a handler', (p) => { c0(p).livenessProbe = { periodSeconds: 5 }; }, [['spec.containers[0].livenessProbe', 'Required value: must specify a handler type']]],
    ['probe with two handlers', (p) => { c0(p).livenessProbe = { exec: { command: ['true'] }, tcpSocket: { port: 80 } }; }, [['spec.containers[0].livenessProbe.tcpSocket', 'Forbidden: may not specify more than 1 handler type']]],
    ['negative probe numbers', (p) => { c0(p).readinessProbe = { exec: { command: ['true'] }, initialDelaySeconds: -1, failureThreshold: -3 }; },
      [['spec.containers[0].readinessProbe.initialDelaySeconds', 'must be greater than or equal to 0'], ['spec.containers[0].readinessProbe.failureThreshold', 'must be greater than or equal to 0']]],
    ['probe grace on readiness', (p) => { c0(p).readinessProbe = { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 }; }, [['spec.containers[0].readinessProbe.terminationGracePeriodSeconds', 'must not be set for readinessProbes']]],
    ['probe grace 0 on liveness', (p) => { c0(p).livenessProbe = { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 }; }, [['spec.containers[0].livenessProbe.terminationGracePeriodSeconds', 'must be greater than 0']]],
    ['exec without a command', (p) => { c0(p).livenessProbe = { exec: {} }; }, [['spec.containers[0].livenessProbe.exec.command', 'Required value']]],
    ['httpGet without a port', (p) => { c0(p).livenessProbe = { httpGet: { path: '/' } }; }, [['spec.containers[0].livenessProbe.httpGet.port', 'Required value']]],
    ['httpGet port out of range', (p) => { c0(p).livenessProbe = { httpGet: { port: 0 } }; }, [['spec.containers[0].livenessProbe.httpGet.port', 'must be between 1 and 65535, inclusive']]],
    ['httpGet port name invalid', (p) => { c0(p).livenessProbe = { httpGet: { port: 'Web_Port' } }; },
      [['spec.containers[0].livenessProbe.httpGet.port', 'Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']]],
    ['httpGet port as a quoted number', (p) => { c0(p).livenessProbe = { httpGet: { port: '8080' } }; },
      [['spec.containers[0].livenessProbe.httpGet.port', 'Invalid value: "8080": must contain at least one letter (a-z); for a port number remove the quotes']]],
    ['httpGet scheme unsupported', (p) => { c0(p).livenessProbe = { httpGet: { port: 80, scheme: 'https' } }; }, [['spec.containers[0].livenessProbe.httpGet.scheme', 'Unsupported value: "https": supported values: "HTTP", "HTTPS"; did you mean "HTTPS"?']]],
    ['grpc port 0', (p) => { c0(p).livenessProbe = { grpc: { port: 0 } }; }, [['spec.containers[0].livenessProbe.grpc.port', 'must be between 1 and 65535, inclusive']]],
    ['grpc port by name', (p) => { c0(p).livenessProbe = { grpc: { port: 'grpc' } }; }, [['spec.containers[0].livenessProbe.grpc.port', 'Invalid value: "grpc": must be an integer']]],
    ['sleep hook longer than grace', (p) => { c0(p).lifecycle = { preStop: { sleep: { seconds: 31 } } }; }, [['spec.containers[0].lifecycle.preStop.sleep.seconds', 'must be non-negative and less than terminationGracePeriodSeconds (30)']]],
    ['sleep hook negative', (p) => { p.spec.terminationGracePeriodSeconds = 5; c0(p).lifecycle = { preStop: { sleep: { seconds: -1 } } }; }, [['spec.containers[0].lifecycle.preStop.sleep.seconds', 'must be non-negative and less than terminationGracePeriodSeconds (5)']]],
    ['hook without a handler', (p) => { c0(p).lifecycle = { postStart: {} }; }, [['spec.containers[0].lifecycle.postStart', 'Required value: must specify a handler type']]],
    ['hook with two handlers', (p) => { c0(p).lifecycle = { preStop: { exec: { command: ['true'] }, sleep: { seconds: 1 } } }; }, [['spec.containers[0].lifecycle.preStop.sleep', 'Forbidden: may not specify more than 1 handler type']]],
    ['negative grace period', (p) => { p.spec.terminationGracePeriodSeconds = -1; }, [['spec.terminationGracePeriodSeconds', 'must be greater than or equal to 0']]],
    ['activeDeadlineSeconds 0', (p) => { p.spec.activeDeadlineSeconds = 0; }, [['spec.activeDeadlineSeconds', 'must be between 1 and 2147483647, inclusive']]],
    ['dnsPolicy unsupported', (p) => { p.spec.dnsPolicy = 'Cluster'; }, [['spec.dnsPolicy', 'Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"']]],
    ['dnsPolicy None without dnsConfig', (p) => { p.spec.dnsPolicy = 'None'; }, [['spec.dnsConfig', 'Required value: must provide `dnsConfig` when `dnsPolicy` is None']]],
    ['dnsPolicy None without nameservers', (p) => { p.spec.dnsPolicy = 'None'; p.spec.dnsConfig = { searches: ['lab'] }; }, [['spec.dnsConfig.nameservers', 'Required value: must provide at least one DNS nameserver when `dnsPolicy` is None']]],
    ['quantity with a wrong suffix', (p) => { c0(p).resources = { limits: { memory: '512MB' } }; }, [['spec.containers[0].resources.limits.memory', 'Invalid value: "512MB": must be a quantity such as 500m, 128Mi or 1Gi (suffixes n u m k M G T P E Ki Mi Gi Ti Pi Ei); did you mean "512Mi"?']]],
    ['request above limit', (p) => { c0(p).resources = { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } }; }, [['spec.containers[0].resources.requests.memory', 'Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi']]],
    ['resource name misspelt', (p) => { c0(p).resources = { limits: { cpus: '1' } }; }, [['spec.containers[0].resources.limits.cpus', 'Invalid value: "cpus": must be a standard resource type or fully qualified; did you mean "cpu"?']]],
  ])('%s', (_name, mutate, want) => {
    const p = base();
    mutate(p);
    matches(validatePod(p as Pod), want);
  });
});

describe('validatePod: types and unknown fields', () => {
  it.each<[string, (p: Any) => void, [string, string][]]>([
    ['exec given a list (the probes slide)', (p) => { c0(p).livenessProbe = { exec: ['sh', '-c', 'pgrep app-worker-thread'], initialDelaySeconds: 60 }; },
      [['spec.containers[0].livenessProbe.exec', 'must be an object with a "command" list, not a list; write exec: {command: [...]}']]],
    ['periodSeconds under httpGet (the probes slide)', (p) => { c0(p).readinessProbe = { httpGet: { path: '/health', port: 80, periodSeconds: 10 } }; },
      [['spec.containers[0].readinessProbe.httpGet.periodSeconds', 'unknown field; periodSeconds belongs to the probe: move it up one level, beside httpGet']]],
    ['command under the probe instead of exec', (p) => { c0(p).livenessProbe = { command: ['true'] }; },
      [['spec.containers[0].livenessProbe.command', 'unknown field; command belongs inside exec: move it down one level, under exec'], ['spec.containers[0].livenessProbe', 'Required value: must specify a handler type']]],
    ['port under the probe', (p) => { c0(p).livenessProbe = { tcpSocket: {}, port: 80 }; },
      [['spec.containers[0].livenessProbe.port', 'unknown field; port belongs inside httpGet, tcpSocket or grpc: move it down one level, under one of them'], ['spec.containers[0].livenessProbe.tcpSocket.port', 'Required value']]],
    ['a misspelt container field', (p) => { c0(p).imagePullpolicy = 'Always'; }, [['spec.containers[0].imagePullpolicy', 'unknown field "imagePullpolicy"; did you mean "imagePullPolicy"?']]],
    ['a misspelt probe field', (p) => { c0(p).readinessProbe = { exec: { command: ['true'] }, perodSeconds: 5 }; }, [['spec.containers[0].readinessProbe.perodSeconds', 'unknown field "perodSeconds"; did you mean "periodSeconds"?']]],
    ['a misspelt hook', (p) => { c0(p).lifecycle = { poststart: { exec: { command: ['true'] } } }; }, [['spec.containers[0].lifecycle.poststart', 'unknown field "poststart"; did you mean "postStart"?']]],
    ['an unknown field in a hook handler', (p) => { c0(p).lifecycle = { preStop: { exec: { command: ['true'] }, timeoutSeconds: 5 } }; }, [['spec.containers[0].lifecycle.preStop.timeoutSeconds', 'unknown field "timeoutSeconds"']]],
    ['a pod field inside a container', (p) => { c0(p).restartPolicy = undefined; c0(p).volumes = []; }, [['spec.containers[0].volumes', 'unknown field; volumes belongs to the pod spec: move it up one level, beside containers']]],
    ['an unknown pod spec field', (p) => { p.spec.restartpolicy = 'Never'; }, [['spec.restartpolicy', 'unknown field "restartpolicy"; did you mean "restartPolicy"?']]],
    ['an unknown metadata field', (p) => { p.metadata.label = { app: 'web' }; }, [['metadata.label', 'unknown field "label"; did you mean "labels"?']]],
    ['containers at the top level', (p) => { p.containers = p.spec.containers; }, [['containers', 'unknown field; containers belongs inside spec: move it down one level, under spec']]],
    ['a string where an integer belongs', (p) => { c0(p).readinessProbe = { exec: { command: ['true'] }, periodSeconds: 'abc' }; }, [['spec.containers[0].readinessProbe.periodSeconds', 'Invalid value: "abc": must be an integer']]],
    ['a quoted integer', (p) => { c0(p).ports[0].containerPort = '80'; }, [['spec.containers[0].ports[0].containerPort', 'Invalid value: "80": must be an integer, not a string; remove the quotes']]],
    ['a fraction', (p) => { p.spec.terminationGracePeriodSeconds = 1.5; }, [['spec.terminationGracePeriodSeconds', 'Invalid value: 1.5: must be an integer']]],
    ['a number where a string belongs', (p) => { c0(p).env = [{ name: 'PORT', value: 80 }]; }, [['spec.containers[0].env[0].value', 'Invalid value: 80: must be a string; quote it: value: "80"']]],
    ['a label value that is a number', (p) => { p.metadata.labels.version = 2; }, [['metadata.labels.version', 'Invalid value: 2: must be a string; quote it: version: "2"']]],
    ['a quoted boolean', (p) => { p.spec.hostNetwork = 'true'; }, [['spec.hostNetwork', 'Invalid value: "true": must be a boolean (true or false), not a string; remove the quotes']]],
    ['command as one string', (p) => { c0(p).command = 'sleep 3600'; }, [['spec.containers[0].command', 'must be a list of strings, not a string; write command: ["sh", "-c", "sleep 3600"] or one item per word']]],
    ['a number inside args', (p) => { c0(p).args = ['--port', 80]; }, [['spec.containers[0].args[1]', 'Invalid value: 80: must be a string; quote it: args[1]: "80"']]],
    ['containers as an object', (p) => { p.spec.containers = { name: 'web', image: 'nginx' }; }, [['spec.containers', 'must be a list, not an object; start each item with "- "']]],
    ['a probe as a string', (p) => { c0(p).livenessProbe = 'httpGet /'; }, [['spec.containers[0].livenessProbe', 'must be an object, not a string']]],
    ['spec as a list', (p) => { p.spec = [p.spec]; }, [['spec', 'must be an object, not a list']]],
  ])('%s', (_name, mutate, want) => {
    const p = base();
    mutate(p);
    matches(validatePod(p as Pod), want);
  });

  it('reports a value of the wrong type once, not again as a rule', () => {
    const p = base();
    c0(p).ports[0].containerPort = '8080';
    c0(p).livenessProbe = { grpc: { port: 'x' }, successThreshold: '1' };
    expect(validatePod(p as Pod).map((e) => e.field)).toEqual([
      'spec.containers[0].ports[0].containerPort', 'spec.containers[0].livenessProbe.grpc.port', 'spec.containers[0].livenessProbe.successThreshold',
    ]);
  });
  it('does not treat Object.prototype names as known fields', () => {
    const p = base();
    Object.assign(c0(p), { toString: 'x' });
    p.spec.constructor = 1;
    expect(validatePod(p as Pod).map((e) => e.message)).toEqual(['unknown field "toString"', 'unknown field "constructor"']);
  });
  it('survives a non-object pod', () => {
    expect(validatePod('pod' as unknown as Pod)).toEqual([{ field: '', message: 'must be an object, not a string' }]);
  });
});

describe('validateConfigObject', () => {
  it.each<[string, Any, 'ConfigMap' | 'Secret', [string, string][]]>([
    ['a good ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'app.conf': 'x', KEY: 'y' } }, 'ConfigMap', []],
    ['a good Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { token: 'czNjcjN0' }, stringData: { user: 'me' }, type: 'Opaque' }, 'Secret', []],
    ['a bad key', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a b': 'x' } }, 'ConfigMap', [['data', 'Invalid value: "a b": a valid config key must consist of alphanumeric characters…']]],
    ['a number value', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { port: 80 } }, 'ConfigMap', [['data.port', 'Invalid value: 80: must be a string; quote it: port: "80"']]],
    ['Secret data not base64', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { p: 'hunter2!' } }, 'Secret', [['data.p', 'must be base64-encoded; put plain text under stringData instead']]],
    ['Secret values are never echoed', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { pin: 1234 } }, 'Secret', [['stringData.pin', 'must be a string, not a number; quote the value']]],
    ['an unknown field', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, date: {} }, 'ConfigMap', [['date', 'unknown field "date"; did you mean "data"?']]],
    ['a bad name', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'My_Config' } }, 'ConfigMap', [['metadata.name', 'Invalid value: "My_Config": a lowercase RFC 1123 subdomain…']]],
  ])('%s', (_name, o, kind, want) => matches(validateConfigObject(o, kind), want));
});
