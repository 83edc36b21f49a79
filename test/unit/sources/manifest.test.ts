// Decoding manifests: the valid fixtures decode cleanly, every hostile fixture yields the expected error
// lines (by file name and field), and the decoder's edges (lists, JSON, YAML 1.1, limits) are pinned down.
// An expected line ending in "…" is matched as a prefix of an error line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeManifest, formatManifestError, relaxIndentation, type DecodedManifest } from '../../../agent/sources/manifest.js';
import { prefixOrExact } from '../../helpers/unconditional.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures');
const load = (dir: string, file: string): DecodedManifest => decodeManifest(join(FIXTURES, dir, file), readFileSync(join(FIXTURES, dir, file)));
const lines = (r: DecodedManifest): string[] => r.errors.map(formatManifestError);
const expectLines = (got: string[], want: string[]): void => {
  for (const w of want) {
    const hit = w.endsWith('…') ? got.some((g) => g.startsWith(w.slice(0, -1))) : got.includes(w);
    expect(hit, `missing error line:\n  ${w}\ngot:\n  ${got.join('\n  ')}`).toBe(true);
  }
};
const SUBDOMAIN_TAIL = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
const INIT_FORBIDDEN = 'Forbidden: may not be set for init containers without restartPolicy=Always';

describe('formatManifestError', () => {
  it.each([
    ['with a field', { origin: 'web.yaml[1]', field: 'spec.containers[0].livenessProbe.successThreshold', message: 'must be 1' }, 'web.yaml[1]: spec.containers[0].livenessProbe.successThreshold: must be 1'],
    ['without a field', { origin: 'web.yaml[0]', message: 'kind "Job" is not supported' }, 'web.yaml[0]: kind "Job" is not supported'],
    ['about the whole file', { origin: 'big.yaml', message: 'file is too big' }, 'big.yaml: file is too big'],
  ])('%s', (_name, e, want) => expect(formatManifestError(e)).toBe(want));
});

describe('valid fixtures', () => {
  it.each<[string, { name: string; origin: string; namespace?: string }[], number, number]>([
    ['myapp-pod.yaml', [{ name: 'myapp-pod', origin: 'myapp-pod.yaml[0]' }], 0, 0],
    ['loap.yaml', [{ name: 'loap', origin: 'loap.yaml[0]' }], 0, 0],
    ['configmap-and-pod.yaml', [{ name: 'web', origin: 'configmap-and-pod.yaml[1]' }], 1, 0],
    ['pod-list.json', [{ name: 'worker', origin: 'pod-list.json[0].items[1]', namespace: 'lab' }], 0, 1],
    ['sidecar.yaml', [{ name: 'with-sidecar', origin: 'sidecar.yaml[0]' }], 0, 0],
  ])('%s decodes with no errors', (file, pods, configMaps, secrets) => {
    const r = load('valid', file);
    expect(lines(r)).toEqual([]);
    expect(r.pods.map((p) => ({ name: p.pod.metadata?.name, origin: p.origin, namespace: p.pod.metadata?.namespace })))
      .toEqual(pods.map((p) => ({ namespace: 'default', ...p })));
    expect([r.configMaps.length, r.secrets.length]).toEqual([configMaps, secrets]);
  });
  it('covers every file in test/fixtures/valid', () => {
    expect(readdirSync(join(FIXTURES, 'valid')).sort()).toEqual(['configmap-and-pod.yaml', 'loap.yaml', 'myapp-pod.yaml', 'pod-list.json', 'sidecar.yaml']);
  });

  it('returns pods defaulted, as the API server would store them', () => {
    const { pod } = load('valid', 'myapp-pod.yaml').pods[0]!;
    expect(pod.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(pod.spec!.containers[0]).toMatchObject({ image: 'busybox', imagePullPolicy: 'Always', command: ['sh', '-c', 'echo Hello Kubernetes! && sleep 3600'] });
  });
  it('reads the loap command that goes on at column 0 as kubectl does', () => {
    const { pod } = load('valid', 'loap.yaml').pods[0]!;
    expect(pod.spec!.containers[0]!.command).toEqual(['sh', '-c', 'echo $(date +%s): START >> /loap/timing; sleep 10; echo $(date +%s): END >> /loap/timing;']);
    expect(pod.spec!.initContainers![0]!.name).toBe('init');
    expect(pod.spec!.volumes![0]).toEqual({ name: 'timing', hostPath: { path: '/tmp/loap', type: '' } });
    expect(pod.spec!.containers[0]!.livenessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
  });
});

// file → the error lines it must produce (and how many pods still come back).
const HOSTILE: [string, string[], number?][] = [
  ['alias-bomb.yaml', ['alias-bomb.yaml[0]: too many YAML alias expansions (an alias bomb?): refusing to expand more than 100']],
  ['binary-garbage.yaml', ['binary-garbage.yaml: binary data (a NUL byte at offset 3), not a YAML or JSON manifest']],
  ['broken-yaml.yaml', ['broken-yaml.yaml[0]: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] at line 11, column 4…']],
  ['command-as-string.yaml', [
    'command-as-string.yaml[0]: spec.containers[0].command: must be a list of strings, not a string; write command: ["sh", "-c", "sleep 3600"] or one item per word',
    'command-as-string.yaml[0]: spec.containers[0].livenesProbe: unknown field "livenesProbe"; did you mean "livenessProbe"?',
  ]],
  ['deep-brackets.json', ['deep-brackets.json: brackets nested more than 256 levels deep; a Pod needs about 10']],
  ['deep-nesting.yaml', ['deep-nesting.yaml[0]: document is nested more than 64 levels deep…']],
  ['duplicate-container-names.yaml', [
    'duplicate-container-names.yaml[0]: spec.containers[0].name: Duplicate value: "app"',
    'duplicate-container-names.yaml[0]: spec.containers[2].name: Duplicate value: "side"',
  ]],
  ['duplicate-keys.yaml', ['duplicate-keys.yaml[0]: YAML syntax error: key "name" appears twice in one mapping (again at line 5, column 3)']],
  ['hostnetwork-ports.yaml', [
    'hostnetwork-ports.yaml[0]: spec.containers[0].ports[0].hostPort: must match `containerPort` when `hostNetwork` is true',
    'hostnetwork-ports.yaml[0]: spec.containers[0].ports[0].name: Invalid value: "web_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'hostnetwork-ports.yaml[0]: spec.containers[0].ports[1].containerPort: must be between 1 and 65535, inclusive',
    'hostnetwork-ports.yaml[0]: spec.containers[0].ports[1].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"; did you mean "TCP"?',
    'hostnetwork-ports.yaml[0]: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
  ]],
  ['init-liveness.yaml', [
    `init-liveness.yaml[0]: spec.initContainers[0].livenessProbe: ${INIT_FORBIDDEN}`,
    `init-liveness.yaml[0]: spec.initContainers[0].lifecycle: ${INIT_FORBIDDEN}`,
  ]],
  ['invalid-pod-name.yaml', [
    `invalid-pod-name.yaml[0]: metadata.name: Invalid value: "My_Pod": ${SUBDOMAIN_TAIL}; try "my-pod"`,
    'invalid-pod-name.yaml[0]: metadata.namespace: Invalid value: "Lab_1": a lowercase RFC 1123 label must consist of…',
    'invalid-pod-name.yaml[0]: spec.containers[0].name: Invalid value: "App": a lowercase RFC 1123 label must consist of…',
  ]],
  ['invalid.json', ['invalid.json[0]: invalid JSON: …']],
  ['liveness-success-threshold.yaml', ['liveness-success-threshold.yaml[1]: spec.containers[0].livenessProbe.successThreshold: must be 1']],
  ['missing-apiversion-kind.yaml', [
    'missing-apiversion-kind.yaml[0]: kind: Required value: every document needs a kind; for a pod write kind: Pod and apiVersion: v1',
    'missing-apiversion-kind.yaml[1]: apiVersion: Required value: Pod is in apiVersion v1; write apiVersion: v1',
  ]],
  ['missing-image.yaml', ['missing-image.yaml[0]: spec.containers[0].image: Required value', 'missing-image.yaml[0]: spec.containers[1].image: Required value']],
  ['mixed-good-bad.yaml', ['mixed-good-bad.yaml[1]: spec.restartPolicy: Unsupported value: "always": supported values: "Always", "OnFailure", "Never"; did you mean "Always"?'], 1],
  ['no-spec.yaml', ['no-spec.yaml[0]: spec: Required value', 'no-spec.yaml[1]: spec.containers: Required value']],
  ['not-an-object.yaml', [
    'not-an-object.yaml[0]: document is a string, not an object; expected a Kubernetes object with apiVersion and kind',
    'not-an-object.yaml[1]: document is a list, not an object; expected a Kubernetes object with apiVersion and kind; separate documents with --- instead of making a top-level list',
    'not-an-object.yaml[2]: document is a number, not an object; expected a Kubernetes object with apiVersion and kind',
  ]],
  ['not-utf8.yaml', ['not-utf8.yaml: binary data (not UTF-8 text), not a YAML or JSON manifest']],
  ['probe-handlers.yaml', [
    'probe-handlers.yaml[0]: spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
    'probe-handlers.yaml[0]: spec.containers[0].readinessProbe: Required value: must specify a handler type',
  ]],
  ['readiness-probe-grace.yaml', [
    'readiness-probe-grace.yaml[0]: spec.containers[0].readinessProbe.terminationGracePeriodSeconds: must not be set for readinessProbes',
    'readiness-probe-grace.yaml[0]: spec.containers[0].livenessProbe.terminationGracePeriodSeconds: must be greater than 0',
    'readiness-probe-grace.yaml[0]: spec.containers[0].livenessProbe.timeoutSeconds: must be greater than or equal to 0',
  ]],
  ['recursive-alias.yaml', ['recursive-alias.yaml[0]: document is nested more than 64 levels deep (or holds a YAML alias that contains itself)…']],
  ['resources-typos.yaml', [
    'resources-typos.yaml[0]: spec.containers[0].resources.limits.memory: Invalid value: "1Gb": must be a quantity such as 500m, 128Mi or 1Gi (suffixes n u m k M G T P E Ki Mi Gi Ti Pi Ei); did you mean "1Gi"?',
    'resources-typos.yaml[0]: spec.containers[0].resources.requests.memmory: Invalid value: "memmory": must be a standard resource type or fully qualified; did you mean "memory"?',
    'resources-typos.yaml[0]: spec.containers[0].resources.requests.cpu: Invalid value: "2": must be less than or equal to cpu limit of 1',
  ]],
  ['secret-not-base64.yaml', ['secret-not-base64.yaml[0]: data.password: must be base64-encoded; put plain text under stringData instead']],
  ['sleep-hook-longer-than-grace.yaml', ['sleep-hook-longer-than-grace.yaml[0]: spec.containers[0].lifecycle.preStop.sleep.seconds: must be non-negative and less than terminationGracePeriodSeconds (30)']],
  ['tabs.yaml', ['tabs.yaml[0]: YAML syntax error: Tabs are not allowed as indentation at line 4, column 1 (indent with spaces)']],
  ['unknown-kind.yaml', ['unknown-kind.yaml[0]: kind "Frobnicator" is not supported: only Pod, ConfigMap and Secret documents (or a List of them) run on this node']],
  ['deployment-bad-selector.yaml', ['deployment-bad-selector.yaml[0]: kind "Deployment" is not supported: only Pod, ConfigMap and Secret documents (or a List of them) run on this node; to run its pod here, write a Pod from its template: apiVersion: v1, kind: Pod, metadata with a name, and spec.template.spec as spec']],
  ['very-good-job.yaml', [
    'very-good-job.yaml[0]: kind "Job" is not supported: only Pod, ConfigMap and Secret documents (or a List of them) run on this node; to run its pod here…',
    `very-good-job.yaml[0]: metadata.name: Invalid value: "very_good_job": ${SUBDOMAIN_TAIL}; try "very-good-job"`,
  ]],
  ['volume-mounts.yaml', [
    'volume-mounts.yaml[0]: spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type',
    'volume-mounts.yaml[0]: spec.volumes[1]: Required value: must specify a volume type',
    'volume-mounts.yaml[0]: spec.containers[0].volumeMounts[0].name: Not found: "data"',
    'volume-mounts.yaml[0]: spec.containers[0].volumeMounts[0].mountPath: Invalid value: "data": must be an absolute path; try "/data"',
    'volume-mounts.yaml[0]: spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/cache": must be unique',
  ]],
  ['web-probes-typos.yaml', [
    'web-probes-typos.yaml[0]: spec.containers[0].readinessProbe.httpGet.periodSeconds: unknown field; periodSeconds belongs to the probe: move it up one level, beside httpGet',
    'web-probes-typos.yaml[0]: spec.containers[0].livenessProbe.exec: must be an object with a "command" list, not a list; write exec: {command: [...]}',
  ]],
  ['wrong-apiversion.yaml', [
    'wrong-apiversion.yaml[0]: apiVersion: Unsupported value: "apps/v1": supported values: "v1" (Pod is in the core group)',
    'wrong-apiversion.yaml[1]: kind: Unsupported value: "pod": supported values: "Pod", "ConfigMap", "Secret"; did you mean "Pod"? (kinds are case-sensitive)',
  ]],
  ['wrong-types.yaml', [
    'wrong-types.yaml[0]: metadata.labels.version: Invalid value: 1: must be a string; quote it: version: "1"',
    'wrong-types.yaml[0]: spec.hostNetwork: Invalid value: "true": must be a boolean (true or false), not a string; remove the quotes',
    'wrong-types.yaml[0]: spec.containers[0].ports[0].containerPort: Invalid value: "8080": must be an integer, not a string; remove the quotes',
    'wrong-types.yaml[0]: spec.containers[0].env[0].value: Invalid value: 8080: must be a string; quote it: value: "8080"',
    'wrong-types.yaml[0]: spec.containers[0].livenessProbe.periodSeconds: Invalid value: "ten": must be an integer',
  ]],
];

describe('hostile fixtures', () => {
  it('has exact expectations for 20+ files of test/fixtures/hostile (test/hostile/corpus.test.ts checks every file)', () => {
    const files = readdirSync(join(FIXTURES, 'hostile')).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(HOSTILE.length).toBeGreaterThanOrEqual(20);
    for (const [f] of HOSTILE) expect(files).toContain(f);
  });
  it.each(HOSTILE)('%s', (file, want, pods = 0) => {
    const r = load('hostile', file);
    expectLines(lines(r), want);
    expect(r.pods).toHaveLength(pods);
  });
  it('still returns the good documents beside the bad one', () => {
    const r = load('hostile', 'mixed-good-bad.yaml');
    expect(r.pods.map((p) => [p.origin, p.pod.metadata?.name])).toEqual([['mixed-good-bad.yaml[0]', 'good']]);
    expect(r.configMaps.map((c) => c.metadata?.name)).toEqual(['settings']);
    expect(r.errors.every((e) => e.origin === 'mixed-good-bad.yaml[1]')).toBe(true);
  });
});

describe('decodeManifest: limits', () => {
  it('refuses a file over the size limit before parsing it', () => {
    const huge = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\n  annotations:\n    x: "${'a'.repeat(2 * 1024 * 1024)}"\n`;
    const t = Date.now();
    const r = decodeManifest('/etc/kubernetes/manifests/huge.yaml', huge);
    expect(Date.now() - t).toBeLessThan(500);
    expect(lines(r)).toEqual([`huge.yaml: file is ${Buffer.byteLength(huge)} bytes, larger than the 1048576-byte limit for a manifest`]);
  });
  it('takes the limit from opts.maxBytes', () => {
    const text = readFileSync(join(FIXTURES, 'valid', 'myapp-pod.yaml'));
    expect(lines(decodeManifest('p.yaml', text, { maxBytes: 100 }))).toEqual([`p.yaml: file is ${text.length} bytes, larger than the 100-byte limit for a manifest`]);
    expect(decodeManifest('p.yaml', text, { maxBytes: text.length }).pods).toHaveLength(1);
  });
  it.each([
    ['block nesting the parser cannot follow', Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'), 'x.yaml: the text is nested too deeply for the YAML parser…'],
    ['too many documents', 'a: 1\n---\n'.repeat(1001), 'x.yaml: file has 1001 documents; at most 1000 are read from one file'],
  ])('refuses %s', (_name, text, want) => {
    const t = Date.now();
    expectLines(lines(decodeManifest('x.yaml', text)), [want]);
    expect(Date.now() - t).toBeLessThan(3000);
  });
  it('caps the error list', () => {
    const doc = 'apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec: {containers: [{name: a, image: b}]}\n';
    const r = decodeManifest('many.yaml', Array(150).fill(doc).join('---\n'));
    expect(r.errors).toHaveLength(101);
    expect(formatManifestError(r.errors[100]!)).toBe('many.yaml: 50 more errors not shown');
  });
});

describe('decodeManifest: documents and formats', () => {
  const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: busybox\n`;
  it.each<[string, string, string | Buffer, string[], string[]]>([
    ['an empty file', 'e.yaml', '', [], []],
    ['only comments', 'c.yaml', '# nothing here yet\n', [], []],
    ['empty documents are skipped but counted', 'm.yaml', `---\n${pod('a')}---\n---\n${pod('b')}`, ['m.yaml[0]:a', 'm.yaml[2]:b'], []],
    ['a byte-order mark', 'bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pod('bom'))]), ['bom.yaml[0]:bom'], []],
    ['CRLF line endings', 'crlf.yaml', pod('crlf').replace(/\n/g, '\r\n'), ['crlf.yaml[0]:crlf'], []],
    ['JSON in a .yaml file', 'j.yaml', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { containers: [{ name: 'a', image: 'b' }] } }), ['j.yaml[0]:j'], []],
    ['a PodList whose items omit kind and apiVersion', 'pl.yaml', `apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: x}\n  spec: {containers: [{name: a, image: b}]}\n`, ['pl.yaml[0].items[0]:x'], []],
    ['a bad List item', 'l.yaml', `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: ok}, spec: {containers: [{name: a, image: b}]}}\n- {apiVersion: v1, kind: Pod, metadata: {name: bad}, spec: {containers: [{name: a}]}}\n- {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}\n`,
      ['l.yaml[0].items[0]:ok'], ['l.yaml[0]: items[1].spec.containers[0].image: Required value', 'l.yaml[0]: items[2]: kind "Deployment" is not supported…']],
    ['a List inside a List', 'll.yaml', `apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: []}\n`, [], ['ll.yaml[0]: items[0].kind: Forbidden: a List inside a List is not supported']],
    ['null fields count as unset', 'n.yaml', `apiVersion: v1\nkind: Pod\nmetadata:\n  name: nulls\n  labels:\nspec:\n  containers:\n  - name: app\n    image: busybox\n    livenessProbe:\n`, ['n.yaml[0]:nulls'], []],
  ])('%s', (_name, file, text, pods, errors) => {
    const r = decodeManifest(file, text);
    expect(r.pods.map((p) => `${p.origin}:${p.pod.metadata?.name}`)).toEqual(pods);
    expect(lines(r)).toEqual(errors.length ? expect.arrayContaining(errors.map(prefixOrExact)) : []);
  });

  it('reads YAML 1.1 scalars like kubectl: 0644 is octal, yes is a boolean, dates stay strings', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: yaml11\n  annotations:\n    built: 2024-01-01\n    at: 10:30\nspec:\n  containers:\n  - name: app\n    image: busybox\n    env:\n    - name: DEBUG\n      value: yes\n  volumes:\n  - name: c\n    configMap:\n      name: c\n      defaultMode: 0644\n`;
    const r = decodeManifest('y.yaml', text);
    expect(lines(r)).toEqual(['y.yaml[0]: spec.containers[0].env[0].value: Invalid value: true: must be a string; YAML reads unquoted y, n, yes, no, on, off, true and false as booleans, so quote the value']);
    const ok = decodeManifest('y.yaml', text.replace('value: yes', 'value: "yes"'));
    expect(lines(ok)).toEqual([]);
    expect(ok.pods[0]!.pod.spec!.volumes![0]!.configMap!.defaultMode).toBe(420);
    expect(ok.pods[0]!.pod.metadata!.annotations).toEqual({ built: '2024-01-01', at: '10:30' });
  });
  it('keeps a __proto__ key as plain data and reports it', () => {
    const r = decodeManifest('p.json', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"__proto__":{"hostNetwork":true},"containers":[{"name":"a","image":"b"}]}}');
    expect(lines(r)).toEqual(['p.json[0]: spec.__proto__: unknown field "__proto__"']);
    expect(({} as Record<string, unknown>).hostNetwork).toBeUndefined();
  });
  it('accepts a ConfigMap and a Secret with the namespace defaulted', () => {
    const r = decodeManifest('cs.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: lab}\nstringData: {p: q}\n`);
    expect(r.configMaps.map((c) => [c.metadata?.name, c.metadata?.namespace])).toEqual([['c', 'default']]);
    expect(r.secrets.map((s) => [s.metadata?.name, s.metadata?.namespace])).toEqual([['s', 'lab']]);
  });
});

describe('relaxIndentation', () => {
  it.each([
    ['a quoted string that goes on at column 0', "a:\n  b: ['x', 'y\nz']\n", "a:\n  b: ['x', 'y\n      z']\n"],
    ['a flow list that goes on at column 0', 'a:\n  b: [x,\ny]\n', 'a:\n  b: [x,\n      y]\n'],
    ['text that needs nothing', "a:\n  b: 'it''s fine'\n  c: don't\n", "a:\n  b: 'it''s fine'\n  c: don't\n"],
  ])('%s', (_name, text, want) => expect(relaxIndentation(text)).toBe(want));
});
