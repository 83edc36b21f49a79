// Unit tests of the registry's strategies through the generic REST storage (control-plane/registry,
// control-plane/apiserver/rest.ts): per kind the defaults, what a create or update prepares (status vs spec,
// generation, Secret stringData, namespace label and finalizer), and validation with kube-apiserver's field
// paths and texts; graceful Pod deletion; Event conversion to events.k8s.io/v1.
import { describe, expect, it } from 'vitest';
import { by, configMap, pod, rig } from './helpers.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('metadata validation (every kind)', () => {
  it('names: DNS-1123 subdomain for most kinds, label for namespaces; labels and annotations are qualified names', async () => {
    const { rest, res } = await rig();
    await expect(rest.create(res('configmaps'), 'default', configMap('Bad_Name'), by('t'))).rejects.toMatchObject({
      code: 422, reason: 'Invalid',
      message: 'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      details: { name: 'Bad_Name', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] },
    });
    await expect(rest.create(res('namespaces'), '', { metadata: { name: 'a.b' } }, by('t'))).rejects.toMatchObject({
      message: expect.stringMatching(/^Namespace "a\.b" is invalid: metadata\.name: Invalid value: "a\.b": a lowercase RFC 1123 label must consist of/),
    });
    await expect(rest.create(res('configmaps'), 'default', configMap('ok', {}, { labels: { 'a b': 'x', ok: 'bad value!' } }), by('t'))).rejects.toMatchObject({
      message: expect.stringMatching(/^ConfigMap "ok" is invalid: \[metadata\.labels: Invalid value: "a b": name part must consist of .*, metadata\.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of/),
    });
    await expect(rest.create(res('configmaps'), 'default', configMap('ok', {}, { finalizers: ['plain'] }), by('t'))).rejects.toMatchObject({
      message: 'ConfigMap "ok" is invalid: metadata.finalizers[0]: Invalid value: "plain": name is neither a standard finalizer name nor is it fully qualified',
    });
  });

  it('the namespace and name come from the URL; a body naming others is a 400', async () => {
    const { rest, res } = await rig();
    await expect(rest.create(res('configmaps'), 'default', configMap('a', {}, { namespace: 'kube-system' }), by('t'))).rejects.toMatchObject({
      code: 400, message: 'the namespace of the provided object does not match the namespace sent on the request',
    });
    await rest.create(res('configmaps'), 'default', configMap('a'), by('t'));
    await expect(rest.update(res('configmaps'), 'default', 'a', configMap('b'), by('t'))).rejects.toMatchObject({
      code: 400, message: 'the name of the object (b) does not match the name on the URL (a)',
    });
    await expect(rest.create(res('configmaps'), 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }, by('t'))).rejects.toMatchObject({ code: 400 });
  });
});

describe('ConfigMap', () => {
  it('keys are config keys; data and binaryData share none; immutable keeps its data but not its metadata', async () => {
    const { rest, res } = await rig();
    const cms = res('configmaps');
    await expect(rest.create(cms, 'default', configMap('c', { 'bad key': 'v' }), by('t'))).rejects.toMatchObject({
      message: expect.stringMatching(/^ConfigMap "c" is invalid: data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/),
    });
    await expect(rest.create(cms, 'default', { ...configMap('c', { k: 'v' }), binaryData: { k: b64('x') } }, by('t'))).rejects.toMatchObject({
      message: 'ConfigMap "c" is invalid: binaryData[k]: Invalid value: "k": duplicate of key present in data',
    });
    await rest.create(cms, 'default', { ...configMap('imm', { k: 'v' }), immutable: true }, by('t'));
    await expect(rest.patch(cms, 'default', 'imm', 'merge', { data: { k: 'w' } }, by('t'))).rejects.toMatchObject({
      code: 422, message: 'ConfigMap "imm" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    });
    await expect(rest.patch(cms, 'default', 'imm', 'merge', { immutable: false }, by('t'))).rejects.toMatchObject({
      message: 'ConfigMap "imm" is invalid: immutable: Forbidden: field is immutable when `immutable` is set',
    });
    const labelled = await rest.patch(cms, 'default', 'imm', 'merge', { metadata: { labels: { a: 'b' } } }, by('t'));
    expect(labelled.object.metadata?.labels).toEqual({ a: 'b' });
  });
});

describe('Secret', () => {
  it('stringData becomes base64 data (winning on a shared key) and is never stored; type defaults to Opaque', async () => {
    const { rest, res } = await rig();
    const s = await rest.create(res('secrets'), 'default', { metadata: { name: 's' }, data: { a: b64('old'), b: b64('keep') }, stringData: { a: 'new' } }, by('t'));
    expect(s).toMatchObject({ type: 'Opaque', data: { a: b64('new'), b: b64('keep') } });
    expect(s).not.toHaveProperty('stringData');
  });

  it('undecodable data is a 400; the type never changes; well-known types need their keys', async () => {
    const { rest, res } = await rig();
    const secrets = res('secrets');
    await expect(rest.create(secrets, 'default', { metadata: { name: 's' }, data: { a: 'no base64!' } }, by('t'))).rejects.toMatchObject({
      code: 400, message: 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 2',
    });
    await expect(rest.create(secrets, 'default', { metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: {} }, by('t'))).rejects.toMatchObject({
      message: 'Secret "tls" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]',
    });
    await rest.create(secrets, 'default', { metadata: { name: 's' }, data: { a: b64('x') } }, by('t'));
    await expect(rest.patch(secrets, 'default', 's', 'merge', { type: 'kubernetes.io/basic-auth' }, by('t'))).rejects.toMatchObject({
      message: 'Secret "s" is invalid: [type: Invalid value: "kubernetes.io/basic-auth": field is immutable, data[username]: Required value, data[password]: Required value]',
    });
  });
});

describe('Namespace', () => {
  it('a new namespace is Active with the name label and the kubernetes finalizer, which updates cannot take away', async () => {
    const { rest, res } = await rig();
    const ns = res('namespaces');
    const made = await rest.create(ns, '', { metadata: { name: 'team' }, status: { phase: 'Terminating' } }, by('t'));
    expect(made).toMatchObject({ metadata: { labels: { 'kubernetes.io/metadata.name': 'team' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    const { object } = await rest.update(ns, '', 'team', { metadata: { name: 'team', labels: { x: 'y' } }, spec: { finalizers: [] } }, by('t'));
    expect(object).toMatchObject({ metadata: { labels: { x: 'y', 'kubernetes.io/metadata.name': 'team' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  });
});

describe('Pod', () => {
  it('defaults the spec, starts Pending with its QoS class, generation 1', async () => {
    const { rest, res } = await rig();
    const p = await rest.create(res('pods'), 'default', pod('p', {
      containers: [
        { name: 'a', image: 'busybox', ports: [{ containerPort: 80 }] },
        { name: 'b', image: 'busybox:1.36', resources: { limits: { cpu: '1', memory: '64Mi' } } },
      ],
    }, {}), by('t'));
    expect(p).toMatchObject({
      metadata: { generation: 1 },
      spec: {
        restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', enableServiceLinks: true, securityContext: {},
        containers: [
          { imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '1', memory: '64Mi' } } },
        ],
      },
      status: { phase: 'Pending', qosClass: 'Burstable' },
    });
    const g = await rest.create(res('pods'), 'default', pod('g', { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '500m', memory: '1Gi' } } }] }), by('t'));
    expect(g).toMatchObject({ status: { qosClass: 'Guaranteed' } });
    const be = await rest.create(res('pods'), 'default', { ...pod('be'), status: { phase: 'Running' } }, by('t'));
    expect(be).toMatchObject({ status: { phase: 'Pending', qosClass: 'BestEffort' } });
  });

  it('the status goes only through /status and the spec only through the pod; generation follows the spec', async () => {
    const { rest, res } = await rig();
    const pods = res('pods');
    await rest.create(pods, 'default', pod('p', { nodeName: 'n1' }), by('t'));
    const viaMain = await rest.patch(pods, 'default', 'p', 'strategic', { status: { phase: 'Running' }, spec: { containers: [{ name: 'main', image: 'busybox:2' }] } }, by('t'));
    expect(viaMain.object).toMatchObject({ metadata: { generation: 2 }, status: { phase: 'Pending' }, spec: { containers: [{ image: 'busybox:2' }] } });
    const viaStatus = await rest.patch(pods, 'default', 'p', 'merge', { status: { phase: 'Running', podIP: '10.0.0.9' }, spec: { nodeName: 'other' } }, by('kubelet', { subresource: 'status' }));
    expect(viaStatus.object).toMatchObject({ metadata: { generation: 2 }, status: { phase: 'Running', podIP: '10.0.0.9' }, spec: { nodeName: 'n1' } });
  });

  it('validation: containers required and unique, supported policies; updates may change images only', async () => {
    const { rest, res } = await rig();
    const pods = res('pods');
    await expect(rest.create(pods, 'default', pod('p', { containers: [] }), by('t'))).rejects.toMatchObject({ message: 'Pod "p" is invalid: spec.containers: Required value' });
    await expect(rest.create(pods, 'default', pod('p', { containers: [{ name: 'a', image: 'x' }, { name: 'a' }], restartPolicy: 'Sometimes' }), by('t'))).rejects.toMatchObject({
      message: 'Pod "p" is invalid: [spec.containers[1].name: Duplicate value: "a", spec.containers[1].image: Required value, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]',
    });
    await rest.create(pods, 'default', pod('p'), by('t'));
    await expect(rest.patch(pods, 'default', 'p', 'strategic', { spec: { containers: [{ name: 'main', command: ['sh'] }] } }, by('t'))).rejects.toMatchObject({
      code: 422, message: expect.stringMatching(/^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/),
    });
  });

  it('deletion is graceful once scheduled (the spec grace or the asked one), immediate when unscheduled', async () => {
    const { rest, res, clock } = await rig();
    const pods = res('pods');
    await rest.create(pods, 'default', pod('free'), by('t'));
    await rest.create(pods, 'default', pod('bound', { nodeName: 'n1' }), by('t'));
    await rest.create(pods, 'default', pod('asked', { nodeName: 'n1' }), by('t'));
    expect((await rest.delete(pods, 'default', 'free', {})).deleted).toBe(true);
    const bound = await rest.delete(pods, 'default', 'bound', {});
    expect(bound).toMatchObject({ deleted: false, object: { metadata: { deletionGracePeriodSeconds: 30, deletionTimestamp: new Date(clock.now() + 30_000).toISOString().replace('.000', '') } } });
    expect(await rest.delete(pods, 'default', 'asked', { gracePeriodSeconds: 5 })).toMatchObject({ deleted: false, object: { metadata: { deletionGracePeriodSeconds: 5 } } });
    expect(await rest.delete(pods, 'default', 'asked', { gracePeriodSeconds: 0 })).toMatchObject({ deleted: true });
  });
});

describe('Lease and Event', () => {
  it('lease durations must be positive; leases live in coordination.k8s.io', async () => {
    const { rest, res } = await rig();
    await expect(rest.create(res('leases', 'coordination.k8s.io'), 'kube-node-lease', { metadata: { name: 'n1' }, spec: { leaseDurationSeconds: 0 } }, by('t'))).rejects.toMatchObject({
      message: 'Lease.coordination.k8s.io "n1" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    });
  });

  it('an event must be in its object\'s namespace; events.k8s.io/v1 is the same object with the newer field names', async () => {
    const { rest, res } = await rig();
    const ev = { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', namespace: 'kube-system', name: 'p' }, reason: 'R', message: 'm', count: 2, source: { component: 'kubelet' } };
    await expect(rest.create(res('events'), 'default', ev, by('t'))).rejects.toMatchObject({
      message: 'Event "e1" is invalid: involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace',
    });
    const stored = await rest.create(res('events'), 'default', { ...ev, involvedObject: { ...ev.involvedObject, namespace: 'default' } }, by('t'));
    const v1 = res('events', 'events.k8s.io');
    expect(v1.fromStorage(stored)).toMatchObject({ apiVersion: 'events.k8s.io/v1', regarding: { name: 'p' }, note: 'm', deprecatedCount: 2, deprecatedSource: { component: 'kubelet' } });
    expect(v1.fromStorage(stored)).not.toHaveProperty('involvedObject');
    expect(v1.toStorage(v1.fromStorage(stored))).toEqual(stored);
  });
});
