// PURE: field classification (honoured / approximated / ignored), ignoredFields, --strict, sysctl admission.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { applyPodDefaults } from '../../../agent/api/defaults.js';
import { applyStrict, classifyPod, ignoredFields, strictViolations, summaryPattern } from '../../../agent/spec-support/classify.js';
import { forbiddenSysctl, sysctlNamespace } from '../../../agent/spec-support/sysctls.js';
import { decodeManifest } from '../../../agent/sources/manifest.js';

const base = (spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Pod => applyPodDefaults({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec },
} as Pod);
const support = (pod: Pod) => Object.fromEntries(classifyPod(pod).map((f) => [f.path, f.support]));

describe('classifyPod', () => {
  it('a plain pod: honoured fields only, defaults not counted, ClusterFirst DNS approximated', () => {
    const fields = classifyPod(base());
    expect(fields.filter((f) => f.support === 'ignored')).toEqual([]);
    expect(fields.filter((f) => f.support === 'approximated').map((f) => f.path)).toEqual(['spec.dnsPolicy']);
    const paths = fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['metadata.name', 'spec.containers[0].name', 'spec.containers[0].image']));
    for (const defaulted of ['spec.schedulerName', 'spec.enableServiceLinks', 'spec.restartPolicy', 'spec.terminationGracePeriodSeconds', 'metadata.namespace', 'spec.containers[0].terminationMessagePath']) {
      expect(paths).not.toContain(defaulted);
    }
  });

  it('fields that need a cluster are ignored; honoured and approximated ones say so', () => {
    const s = support(base({
      nodeSelector: { disk: 'ssd' }, affinity: { nodeAffinity: {} }, tolerations: [{ operator: 'Exists' }], topologySpreadConstraints: [{ maxSkew: 1 }],
      serviceAccountName: 'sa', priorityClassName: 'high', schedulerName: 'custom', runtimeClassName: 'gvisor', overhead: { cpu: '1' },
      readinessGates: [{ conditionType: 'x' }], enableServiceLinks: false, hostNetwork: true, activeDeadlineSeconds: 5,
      volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'x' } }, { name: 'b', nfs: { server: 's', path: '/' } }, { name: 'c', emptyDir: {} },
        { name: 'd', emptyDir: { sizeLimit: '1Gi' } }, { name: 'e', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
        { name: 'f', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }],
      securityContext: { runAsUser: 1, seLinuxOptions: { level: 's0' }, sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'net.core.somaxconn', value: '1' }] },
    }, { resources: { limits: { cpu: '1', 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': '1' } }, securityContext: { readOnlyRootFileSystem: true } }));
    for (const f of ['spec.nodeSelector', 'spec.affinity', 'spec.tolerations', 'spec.topologySpreadConstraints', 'spec.serviceAccountName', 'spec.priorityClassName',
      'spec.schedulerName', 'spec.runtimeClassName', 'spec.overhead', 'spec.volumes[0].persistentVolumeClaim', 'spec.volumes[1].nfs', 'spec.securityContext.seLinuxOptions',
      'spec.containers[0].resources.limits["nvidia.com/gpu"]', 'spec.containers[0].securityContext.readOnlyRootFileSystem']) {
      expect(s[f], f).toBe('ignored');
    }
    for (const f of ['spec.readinessGates', 'spec.volumes[3].emptyDir.sizeLimit', 'spec.volumes[5].projected.sources[0].serviceAccountToken', 'spec.securityContext.sysctls[1].name',
      'spec.containers[0].resources.limits.ephemeral-storage']) {
      expect(s[f], f).toBe('approximated');
    }
    for (const f of ['spec.enableServiceLinks', 'spec.hostNetwork', 'spec.activeDeadlineSeconds', 'spec.volumes[2].emptyDir', 'spec.volumes[4].emptyDir.sizeLimit',
      'spec.securityContext.runAsUser', 'spec.securityContext.sysctls[0].name', 'spec.containers[0].resources.limits.cpu']) {
      expect(s[f], f).toBe('honoured');
    }
  });

  it('ignoredFields and --strict', () => {
    const pod = base({ nodeSelector: { a: 'b' }, tolerations: [{ operator: 'Exists' }] });
    expect(ignoredFields(pod)).toEqual(['spec.nodeSelector', 'spec.tolerations']);
    expect(strictViolations(pod)[0]).toBe('spec.nodeSelector: Forbidden: mini-kubelet ignores this field (needs a scheduler: a static pod runs on this node whatever it says), and --strict refuses pods that use ignored fields');
    expect(strictViolations(base())).toEqual([]);
    const decoded = decodeManifest('x.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  nodeSelector: {a: b}\n  containers: [{name: c, image: busybox}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers: [{name: c, image: busybox}]\n');
    const strict = applyStrict(decoded);
    expect(strict.pods.map((p) => p.pod.metadata!.name)).toEqual(['b']);
    expect(strict.errors).toEqual([expect.objectContaining({ origin: 'x.yaml[0]', field: 'spec.nodeSelector' })]);
  });

  it('summary patterns for the check report', () => {
    expect(summaryPattern('spec.containers[].volumeMounts[].name')).toBe('spec.containers[].volumeMounts');
    expect(summaryPattern('spec.containers[].securityContext.capabilities')).toBe('spec.containers[].securityContext.capabilities');
    expect(summaryPattern('spec.volumes[].configMap.items[].key')).toBe('spec.volumes[].configMap');
    expect(summaryPattern('spec.securityContext.sysctls[].name')).toBe('spec.securityContext.sysctls');
    expect(summaryPattern('metadata.labels')).toBe('metadata.labels');
  });
});

describe('sysctl admission', () => {
  it('namespaced sysctls pass, node-wide ones and host-namespace conflicts are refused with the kubelet\'s message', () => {
    expect(sysctlNamespace('net/ipv4/ip_forward')).toBe('net');
    expect(sysctlNamespace('kernel.msgmax')).toBe('ipc');
    expect(sysctlNamespace('fs.mqueue.msg_max')).toBe('ipc');
    expect(sysctlNamespace('vm.swappiness')).toBeUndefined();
    const pod = (sysctls: { name: string; value: string }[], spec: Record<string, unknown> = {}) => base({ securityContext: { sysctls }, ...spec });
    expect(forbiddenSysctl(pod([{ name: 'net.core.somaxconn', value: '1' }, { name: 'kernel.sem', value: '1 2 3 4' }]))).toBeUndefined();
    expect(forbiddenSysctl(pod([{ name: 'vm.swappiness', value: '1' }]))).toBe('forbidden sysctl: "vm.swappiness" not allowlisted');
    expect(forbiddenSysctl(pod([{ name: 'net.core.somaxconn', value: '1' }], { hostNetwork: true }))).toBe('forbidden sysctl: "net.core.somaxconn" not allowed with host net enabled');
    expect(forbiddenSysctl(pod([{ name: 'kernel.shmmax', value: '1' }], { hostIPC: true }))).toBe('forbidden sysctl: "kernel.shmmax" not allowed with host ipc enabled');
  });
});
