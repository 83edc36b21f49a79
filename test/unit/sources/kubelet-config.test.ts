// KubeletConfig: defaults, the KubeletConfiguration file, flags over file, validation naming the field.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultKubeletConfig, didYouMean, KubeletConfigError, loadKubeletConfigFile, resolveKubeletConfig,
} from '../../../agent/config/kubelet-config.js';
import { thrown } from '../../helpers/unconditional.js';

const dir = mkdtempSync(join(tmpdir(), 'mk-config-'));
let n = 0;
const file = (body: string, header = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n'): string => {
  const p = join(dir, `config-${n++}.yaml`);
  writeFileSync(p, header + body);
  return p;
};
const problem = (f: () => unknown): string => {
  const e = thrown(f);
  expect(e).toBeInstanceOf(KubeletConfigError);
  return (e as Error).message;
};

describe('defaultKubeletConfig', () => {
  it('has the kubelet defaults', () => {
    const c = defaultKubeletConfig();
    expect(c).toMatchObject({
      fileCheckFrequencyMs: 20_000, httpCheckFrequencyMs: 20_000, syncFrequencyMs: 60_000, address: '127.0.0.1', readOnlyPort: 10255,
      podInfraContainerImage: 'registry.k8s.io/pause:3.10', maxPods: 110, staticPodURLHeader: {},
      crashLoopBackOff: { initialDelayMs: 10_000, maxDelayMs: 300_000 }, imageBackOff: { initialDelayMs: 10_000, maxDelayMs: 300_000 },
      offlineImageFallback: true, strict: false, verbosity: 0, apiEnabled: true,
    });
    expect(c.nodeName).toBe(hostname().toLowerCase());
    expect(c.rootDir).toMatch(process.getuid?.() === 0 ? /^\/var\/lib\/mini-kubelet$/ : /\.mini-kubelet$/);
    expect(c.staticPodPath).toBeUndefined();
  });
});

describe('loadKubeletConfigFile', () => {
  it('reads the v1beta1 fields that apply, durations as Go durations', () => {
    const p = file(`staticPodPath: /etc/kubernetes/manifests
staticPodURL: http://127.0.0.1:8080/pods
staticPodURLHeader:
  Authorization: ["Bearer x"]
  X-A: [one, two]
fileCheckFrequency: 1s
httpCheckFrequency: 1m20s
syncFrequency: 30s
address: 0.0.0.0
readOnlyPort: 10256
maxPods: 20
crashLoopBackOff:
  maxContainerRestartPeriod: 30s
  initialContainerRestartPeriod: 500ms
imagePullBackOff: { initialPeriod: 1s, maxPeriod: 4s }
logging: { verbosity: 3, format: text }
offlineImageFallback: false
`);
    const { config, ignored } = loadKubeletConfigFile(p);
    expect(ignored).toEqual([]);
    expect(config).toEqual({
      staticPodPath: '/etc/kubernetes/manifests', staticPodURL: 'http://127.0.0.1:8080/pods',
      staticPodURLHeader: { Authorization: ['Bearer x'], 'X-A': ['one', 'two'] },
      fileCheckFrequencyMs: 1000, httpCheckFrequencyMs: 80_000, syncFrequencyMs: 30_000, address: '0.0.0.0', readOnlyPort: 10256, maxPods: 20,
      crashLoopBackOff: { maxDelayMs: 30_000, initialDelayMs: 500 }, imageBackOff: { initialDelayMs: 1000, maxDelayMs: 4000 },
      verbosity: 3, offlineImageFallback: false,
    });
  });

  it('resolves a relative staticPodPath against the file\'s folder, as the kubelet does', () => {
    expect(loadKubeletConfigFile(file('staticPodPath: manifests\n')).config.staticPodPath).toBe(join(dir, 'manifests'));
  });

  it('reports v1beta1 fields it does not honour instead of failing', () => {
    const p = file('cgroupDriver: systemd\nclusterDNS: [10.96.0.10]\nauthentication: { anonymous: { enabled: false } }\nlogging: { flushFrequency: 5s }\n');
    expect(loadKubeletConfigFile(p).ignored).toEqual(['cgroupDriver', 'clusterDNS', 'authentication', 'logging.flushFrequency']);
  });

  it.each<[string, string, RegExp]>([
    ['a typo', 'fileCheckFrequncy: 1s\n', /fileCheckFrequncy: unknown field; did you mean "fileCheckFrequency"\?/],
    ['kebab-case', 'file-check-frequency: 1s\n', /file-check-frequency: unknown field; did you mean "fileCheckFrequency"\?/],
    ['a nested typo', 'crashLoopBackOff:\n  maxContainerRestartPeriods: 10s\n', /crashLoopBackOff\.maxContainerRestartPeriods: unknown field; did you mean "crashLoopBackOff\.maxContainerRestartPeriod"/],
    ['a flag-only setting', 'podInfraContainerImage: pause:3.9\n', /podInfraContainerImage: unknown field: not a KubeletConfiguration field; set it with the flag --pod-infra-container-image/],
    ['rootDir', 'rootDir: /x\n', /rootDir: .*--root-dir/],
    ['something else', 'frobnicate: true\n', /frobnicate: unknown field \(not a kubelet.config.k8s.io\/v1beta1 KubeletConfiguration field/],
    ['a number for a duration', 'fileCheckFrequency: 20\n', /fileCheckFrequency: must be a duration string such as "20s", not the number 20/],
    ['a bad duration', 'httpCheckFrequency: 1d\n', /httpCheckFrequency: time: unknown unit "d"/],
    ['a string for an int', 'maxPods: "ten"\n', /maxPods: must be an integer, not "ten"/],
    ['a string header value', 'staticPodURLHeader: { A: b }\n', /staticPodURLHeader: A: must be a list of strings; write \["b"\]/],
    ['a scalar for a struct', 'crashLoopBackOff: 10s\n', /crashLoopBackOff: must be a mapping/],
  ])('names the field for %s', (_what, body, msg) => {
    expect(problem(() => loadKubeletConfigFile(file(body)))).toMatch(msg);
  });

  it('names the file and lists every problem', () => {
    const p = file('maxPods: x\nbogus: 1\n');
    const msg = problem(() => loadKubeletConfigFile(p));
    expect(msg.startsWith(`${p}: `)).toBe(true);
    expect(msg).toMatch(/maxPods: .*; bogus: unknown field/);
  });

  it.each<[string, string, RegExp]>([
    ['a wrong kind', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeProxyConfiguration\n', /kind: Unsupported value: "KubeProxyConfiguration"/],
    ['no apiVersion', 'kind: KubeletConfiguration\n', /apiVersion: Required value: write apiVersion: kubelet.config.k8s.io\/v1beta1/],
    ['a wrong apiVersion', 'apiVersion: v1\nkind: KubeletConfiguration\n', /apiVersion: Unsupported value: "v1"/],
    ['not a mapping', '- a\n- b\n', /must be a KubeletConfiguration mapping/],
    ['broken YAML', 'a: [1,\n', /not valid YAML/],
    ['an empty file', '', /not empty|empty/],
  ])('refuses %s', (_what, text, msg) => {
    expect(problem(() => loadKubeletConfigFile(file(text, '')))).toMatch(msg);
  });

  it('refuses a missing file', () => {
    expect(problem(() => loadKubeletConfigFile(join(dir, 'nope.yaml')))).toMatch(/nope\.yaml: cannot read the config file: ENOENT/);
  });
});

describe('resolveKubeletConfig', () => {
  it('returns the defaults without file or flags', () => {
    expect(resolveKubeletConfig(undefined, {})).toEqual(defaultKubeletConfig());
  });

  it('lets flags win over the file, field by field', () => {
    const p = file('staticPodPath: /from/file\nfileCheckFrequency: 1s\nmaxPods: 5\ncrashLoopBackOff: { maxContainerRestartPeriod: 40s }\n');
    const c = resolveKubeletConfig(p, { staticPodPath: '/from/flag', maxPods: 7 });
    expect(c.staticPodPath).toBe('/from/flag');
    expect(c.maxPods).toBe(7);
    expect(c.fileCheckFrequencyMs).toBe(1000);
    expect(c.crashLoopBackOff).toEqual({ initialDelayMs: 10_000, maxDelayMs: 40_000 });
    expect(c.ignoredConfigFields).toEqual([]);
  });

  it('lowers the default initial back-off to a smaller maximum, as the kubelet does', () => {
    const c = resolveKubeletConfig(file('crashLoopBackOff: { maxContainerRestartPeriod: 4s }\n'));
    expect(c.crashLoopBackOff).toEqual({ initialDelayMs: 4000, maxDelayMs: 4000 });
  });

  it('lets a lab shorten both CrashLoopBackOff delays', () => {
    const c = resolveKubeletConfig(file('crashLoopBackOff:\n  initialContainerRestartPeriod: 1s\n  maxContainerRestartPeriod: 8s\n'));
    expect(c.crashLoopBackOff).toEqual({ initialDelayMs: 1000, maxDelayMs: 8000 });
  });

  it.each<[string, string, RegExp]>([
    ['a max restart period above 300s', 'crashLoopBackOff: { maxContainerRestartPeriod: 10m }\n', /crashLoopBackOff\.maxContainerRestartPeriod: must be between 1s and 5m0s, got 10m0s/],
    ['a max restart period below 1s', 'crashLoopBackOff: { maxContainerRestartPeriod: 500ms }\n', /maxContainerRestartPeriod: must be between 1s and 5m0s, got 500ms/],
    ['an initial delay above the max', 'crashLoopBackOff: { maxContainerRestartPeriod: 5s, initialContainerRestartPeriod: 6s }\n', /crashLoopBackOff\.initialContainerRestartPeriod: must be greater than 0 and at most maxContainerRestartPeriod \(5s\), got 6s/],
    ['a zero check frequency', 'fileCheckFrequency: 0s\n', /fileCheckFrequency \(--file-check-frequency\): must be greater than 0, got 0s/],
    ['a negative http frequency', 'httpCheckFrequency: -1s\n', /httpCheckFrequency \(--http-check-frequency\): must be greater than 0, got -1s/],
    ['a port out of range', 'readOnlyPort: 70000\n', /readOnlyPort \(--read-only-port\): must be between 0 and 65535, inclusive, got 70000/],
    ['negative maxPods', 'maxPods: -1\n', /maxPods \(--max-pods\): must be a non-negative integer, got -1/],
    ['an address that is not an IP', 'address: localhost\n', /address \(--address\): must be an IP address/],
    ['a non-http URL', 'staticPodURL: ftp://x/pods\n', /staticPodURL \(--manifest-url\): must be an http:\/\/ or https:\/\/ URL/],
    ['a bad header name', 'staticPodURLHeader: { "a b": [x] }\n', /staticPodURLHeader \(--manifest-url-header\): "a b" is not a valid HTTP header name/],
    ['image back-off max below initial', 'imagePullBackOff: { initialPeriod: 5s, maxPeriod: 1s }\n', /imagePullBackOff\.maxPeriod: must be at least initialPeriod \(5s\), got 1s/],
  ])('refuses %s, naming the field', (_what, body, msg) => {
    expect(problem(() => resolveKubeletConfig(file(body)))).toMatch(msg);
  });

  it('validates flag values too, naming the flag', () => {
    expect(problem(() => resolveKubeletConfig(undefined, { nodeName: 'Bad_Name' }))).toMatch(/nodeName \(--hostname-override\): must be a lower-case RFC 1123 subdomain/);
    expect(problem(() => resolveKubeletConfig(undefined, { readOnlyPort: -5 }))).toMatch(/--read-only-port/);
  });

  it('accepts readOnlyPort 0 (any free port)', () => {
    expect(resolveKubeletConfig(undefined, { readOnlyPort: 0 }).readOnlyPort).toBe(0);
  });

  it('carries the ignored v1beta1 fields for the agent to log', () => {
    expect(resolveKubeletConfig(file('cgroupDriver: systemd\n')).ignoredConfigFields).toEqual(['cgroupDriver']);
  });
});

describe('didYouMean', () => {
  it('finds close names and nothing for far ones', () => {
    expect(didYouMean('pod-manifest-dir', ['pod-manifest-path', 'manifest-url'])).toBe('pod-manifest-path');
    expect(didYouMean('MaxPods', ['maxPods'])).toBe('maxPods');
    expect(didYouMean('zzzzzz', ['maxPods', 'address'])).toBeUndefined();
  });
});
