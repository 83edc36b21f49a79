// PURE: v1 Container → CRI ContainerConfig: resources (shares/quota/memory/OOM score), security context
// (runAsNonRoot messages, seccomp, groups), mounts (subPath vs subPathExpr, propagation, tmpfs, readOnly).
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../../agent/api/v1.js';
import { generateContainerConfig, ContainerConfigError, type ContainerConfigContext, type PreparedVolume } from '../../../agent/kuberuntime/container-config.js';
import { containerOOMScoreAdj, linuxResources, milliCPUToQuota, milliCPUToShares } from '../../../agent/kuberuntime/resources.js';
import { linuxSecurityContext, needsImageUser, parseImageUser, verifyRunAsNonRoot } from '../../../agent/kuberuntime/security.js';

const GiB = 2 ** 30;
const mkPod = (c: Container, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [c], ...spec } });
const ctx = (o: Partial<ContainerConfigContext> = {}): ContainerConfigContext => ({ restartCount: 0, termMsgHostPath: '/t', volumes: new Map(), env: [], nodeMemoryBytes: 8 * GiB, ...o });

describe('resources (calculateLinuxResources, GetContainerOOMScoreAdjust)', () => {
  it.each([[0, 2], [1, 2], [100, 102], [250, 256], [1000, 1024], [1_000_000, 262_144]])('%i mCPU → %i shares', (m, s) => expect(milliCPUToShares(m)).toBe(s));
  it.each([[0, 0], [5, 1000], [10, 1000], [250, 25_000], [1500, 150_000]])('%i mCPU limit → quota %i µs', (m, q) => expect(milliCPUToQuota(m)).toBe(q));

  it('request sets shares, limit sets quota and memory; a limit alone sets shares too', () => {
    const c: Container = { name: 'c', resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } };
    expect(linuxResources(mkPod(c), c, 8 * GiB)).toEqual({ cpuShares: 256, cpuPeriod: 100_000, cpuQuota: 100_000, memoryLimitInBytes: 2 * GiB, oomScoreAdj: 875 });
    const l: Container = { name: 'c', resources: { limits: { cpu: '500m' } } };
    expect(linuxResources(mkPod(l), l, 8 * GiB)).toMatchObject({ cpuShares: 512, cpuQuota: 50_000 });
    const none: Container = { name: 'c' };
    expect(linuxResources(mkPod(none), none, 8 * GiB)).toEqual({ cpuShares: 2, cpuPeriod: 100_000, oomScoreAdj: 1000 });
  });

  it('OOM score: Guaranteed −997, BestEffort 1000, Burstable 1000 − 1000·request/capacity clamped to [3, 999]', () => {
    const g: Container = { name: 'c', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } };
    expect(containerOOMScoreAdj(mkPod(g), g, 8 * GiB)).toBe(-997);
    const huge: Container = { name: 'c', resources: { requests: { memory: '100Gi' } } };
    expect(containerOOMScoreAdj(mkPod(huge), huge, 8 * GiB)).toBe(3);
    const tiny: Container = { name: 'c', resources: { requests: { cpu: '1m' } } };
    expect(containerOOMScoreAdj(mkPod(tiny), tiny, 8 * GiB)).toBe(999);
  });
});

describe('security context', () => {
  it('image users as cri-dockerd reports them', () => {
    expect(parseImageUser('')).toEqual({ uid: 0 });
    expect(parseImageUser('1000:1000')).toEqual({ uid: 1000 });
    expect(parseImageUser('nobody')).toEqual({ username: 'nobody' });
    expect(parseImageUser('app:staff')).toEqual({ username: 'app' });
  });

  it('runAsNonRoot: the kubelet\'s three messages, and what passes', () => {
    const c: Container = { name: 'web' };
    const p = mkPod(c, { securityContext: { runAsNonRoot: true } });
    const where = '(pod: "p_default(u1)", container: web)';
    expect(() => verifyRunAsNonRoot(p, c, '')).toThrow(`container has runAsNonRoot and image will run as root ${where}`);
    expect(() => verifyRunAsNonRoot(p, c, '0')).toThrow(ContainerConfigError);
    expect(() => verifyRunAsNonRoot(p, c, 'nobody')).toThrow(`container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root ${where}`);
    const root: Container = { name: 'web', securityContext: { runAsUser: 0 } };
    expect(() => verifyRunAsNonRoot(mkPod(root, { securityContext: { runAsNonRoot: true } }), root, '1000')).toThrow(`container's runAsUser breaks non-root policy ${where}`);
    expect(() => verifyRunAsNonRoot(p, c, '1000')).not.toThrow();
    const off: Container = { name: 'web', securityContext: { runAsNonRoot: false } };
    expect(() => verifyRunAsNonRoot(mkPod(off, { securityContext: { runAsNonRoot: true } }), off, '')).not.toThrow();
    expect(needsImageUser(p, c)).toBe(true);
    expect(needsImageUser(mkPod(c, { securityContext: { runAsNonRoot: true, runAsUser: 5 } }), c)).toBe(false);
  });

  it('maps groups, capabilities, privilege escalation and profiles; seccomp is Unconfined when unset', () => {
    const c: Container = { name: 'c', securityContext: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } };
    const p = mkPod(c, { securityContext: { runAsUser: 1, runAsGroup: 2, fsGroup: 3, supplementalGroups: [4, 3], appArmorProfile: { type: 'Unconfined' } } });
    expect(linuxSecurityContext(p, c, undefined, '/root/seccomp')).toEqual({
      runAsUser: 1, runAsGroup: 2, supplementalGroups: [4, 3], capabilities: { addCapabilities: ['NET_ADMIN'], dropCapabilities: ['ALL'] },
      readonlyRootfs: true, noNewPrivs: true, seccomp: { profileType: 'Localhost', localhostRef: '/root/seccomp/p.json' }, apparmor: { profileType: 'Unconfined' },
    });
    expect(linuxSecurityContext(mkPod({ name: 'x' }), { name: 'x' }, undefined, '/s').seccomp).toEqual({ profileType: 'Unconfined' });
  });

  it('runAsGroup without runAsUser pairs with the image\'s user', () => {
    const c: Container = { name: 'c' };
    const p = mkPod(c, { securityContext: { runAsGroup: 7 } });
    expect(linuxSecurityContext(p, c, '1000', '/s')).toMatchObject({ runAsUser: 1000, runAsGroup: 7 });
    expect(linuxSecurityContext(p, c, 'app', '/s')).toMatchObject({ runAsUsername: 'app', runAsGroup: 7 });
  });
});

describe('mounts', () => {
  const vols = new Map<string, PreparedVolume>([
    ['data', { hostPath: '/host/data' }],
    ['cfg', { hostPath: '/host/cfg', readOnly: true }],
    ['mem', { hostPath: '/host/mem', tmpfs: { sizeBytes: 1024, mode: 0o777 } }],
  ]);

  it('subPath is taken as written, subPathExpr is expanded; readOnly, propagation, tmpfs and the termination file', () => {
    const c: Container = {
      name: 'c', terminationMessagePath: '/dev/termination-log',
      volumeMounts: [
        { name: 'data', mountPath: '/a', subPath: '$(POD)' },
        { name: 'data', mountPath: '/b', subPathExpr: 'logs/$(POD)', mountPropagation: 'HostToContainer' },
        { name: 'cfg', mountPath: '/c' },
        { name: 'mem', mountPath: '/m', subPath: 'x', readOnly: true },
      ],
    };
    const cfg = generateContainerConfig(mkPod(c), c, 'container', ctx({ volumes: vols, env: [{ name: 'POD', value: 'web-1' }], subPath: (v, s) => `${v.hostPath}/${s}` }));
    expect(cfg.mounts).toEqual([
      { containerPath: '/a', hostPath: '/host/data/$(POD)', readonly: false },
      { containerPath: '/b', hostPath: '/host/data/logs/web-1', readonly: false, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
      { containerPath: '/c', hostPath: '/host/cfg', readonly: true },
      { containerPath: '/m', hostPath: '/host/mem', readonly: true, tmpfs: { sizeBytes: 1024, mode: 0o777 }, subPath: 'x' },
      { containerPath: '/dev/termination-log', hostPath: '/t' },
    ]);
  });

  it('refuses a missing volume, an escaping subPathExpr, and a subPath the resolver rejects', () => {
    const missing: Container = { name: 'c', volumeMounts: [{ name: 'nope', mountPath: '/x' }] };
    expect(() => generateContainerConfig(mkPod(missing), missing, 'container', ctx())).toThrow('cannot find volume "nope" to mount into container "c"');
    const escape: Container = { name: 'c', volumeMounts: [{ name: 'data', mountPath: '/x', subPathExpr: '$(UP)/etc' }] };
    const msg = 'failed to prepare subPath for volumeMount "data" of container "c"';
    expect(() => generateContainerConfig(mkPod(escape), escape, 'container', ctx({ volumes: vols, env: [{ name: 'UP', value: '..' }] }))).toThrow(msg);
    const bad: Container = { name: 'c', volumeMounts: [{ name: 'data', mountPath: '/x', subPath: 'link' }] };
    expect(() => generateContainerConfig(mkPod(bad), bad, 'container', ctx({ volumes: vols, subPath: () => { throw new Error('outside'); } }))).toThrow(msg);
  });

  it('command and args are expanded against the final env; env values are passed as resolved', () => {
    const c: Container = { name: 'c', command: ['echo', '$(A)'], args: ['$$(A)', '$(B)'] };
    const cfg = generateContainerConfig(mkPod(c), c, 'container', ctx({ env: [{ name: 'A', value: '$(B)' }] }));
    expect(cfg.command).toEqual(['echo', '$(B)']);
    expect(cfg.args).toEqual(['$(A)', '$(B)']);
    expect(cfg.envs).toEqual([{ key: 'A', value: '$(B)' }]);
  });
});
