// agent/config/kubelet-config.ts — the agent's configuration: the `KubeletConfig` type with its defaults, the
// KubeletConfiguration file (kubelet.config.k8s.io/v1beta1) → config, flags over file over defaults, and the
// validation that names the field (and its flag) of every bad value.
//
// Called by `mini-kubelet agent` (flags.ts parses argv into overrides; resolveKubeletConfig builds the config)
// and by tests that start an agent from defaultKubeletConfig(). Reads the config file and nothing else: it
// never starts anything and never logs; the v1beta1 fields it reads but does not honour come back in
// `ignoredConfigFields` for the agent to log.
//
// mini-kubelet extensions to the file (not in v1beta1; the real kubelet warns about them):
//   crashLoopBackOff.initialContainerRestartPeriod  first CrashLoopBackOff delay (default 10s; labs shorten it)
//   imagePullBackOff.initialPeriod / .maxPeriod     ImagePullBackOff delays (default 10s / 300s)
//   offlineImageFallback                            false = the kubelet's strict ErrImagePull when no registry answers
//   strict, tokenFile, apiEnabled                   as the flags --strict, --token-file; apiEnabled false = no API subset
//   labClock.cronJobTimeScale                       the lab clock: CronJob schedules run N times faster than real time
//                                                   from the agent's start (1..3600, default 1; 60: a minute a second)
// readOnlyPort 0 means "any free port" here (the kubelet reads it as "off"; mini-kubelet always serves).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir, hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYAML } from 'yaml';
import { formatDuration, parseDuration } from '../util/duration.js';

export interface BackOffConfig {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export interface KubeletConfig {
  readonly staticPodPath?: string; // --pod-manifest-path: a folder, or one manifest file
  readonly staticPodURL?: string; // --manifest-url
  readonly staticPodURLHeader: Readonly<Record<string, readonly string[]>>; // --manifest-url-header
  readonly fileCheckFrequencyMs: number;
  readonly httpCheckFrequencyMs: number;
  readonly syncFrequencyMs: number; // full resync of every pod worker
  readonly relistPeriodMs: number; // PLEG relist; not in the file (tests shorten it)
  readonly nodeName: string; // --hostname-override, lower-cased as the kubelet does
  readonly address: string;
  readonly readOnlyPort: number; // 0 = any free port
  readonly rootDir: string;
  readonly podInfraContainerImage: string;
  readonly maxPods: number;
  readonly crashLoopBackOff: BackOffConfig;
  readonly imageBackOff: BackOffConfig;
  readonly offlineImageFallback: boolean; // pull policy Always, no registry answering: run the local image
  readonly strict: boolean; // reject pods that use fields mini-kubelet ignores
  readonly verbosity: number; // --v, logging.verbosity
  readonly tokenFile?: string;
  readonly apiEnabled: boolean; // run the control plane (API server + store) in this process, on the read-only port
  readonly kubeconfig?: string; // --kubeconfig: the kubelet alone, as a client of that API server
  readonly cronJobTimeScale: number; // labClock.cronJobTimeScale: CronJob time runs this many times faster (1 = real)
  /** v1beta1 fields found in the config file that mini-kubelet reads but does not honour (for the log). */
  readonly ignoredConfigFields?: readonly string[];
}

/** What a config file or the flags set; nested back-off settings may be set one field at a time. */
export type KubeletConfigOverrides = Omit<Partial<KubeletConfig>, 'crashLoopBackOff' | 'imageBackOff'> & {
  readonly crashLoopBackOff?: Partial<BackOffConfig>;
  readonly imageBackOff?: Partial<BackOffConfig>;
};

export interface ConfigProblem { readonly field?: string; readonly message: string }

/** An invalid config file or value; `problems` name the fields, the message holds them all on one line. */
export class KubeletConfigError extends Error {
  readonly code = 'MK_INVALID_CONFIG';
  constructor(readonly problems: readonly ConfigProblem[], readonly where?: string) {
    super(`${where ? `${where}: ` : ''}${problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ')}`);
    this.name = 'KubeletConfigError';
  }
}

export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';
export const DEFAULT_POD_INFRA_IMAGE = 'registry.k8s.io/pause:3.10';

export function defaultKubeletConfig(): KubeletConfig {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return {
    staticPodURLHeader: {},
    fileCheckFrequencyMs: 20_000,
    httpCheckFrequencyMs: 20_000,
    syncFrequencyMs: 60_000,
    relistPeriodMs: 1000,
    nodeName: hostname().trim().toLowerCase(),
    address: '127.0.0.1',
    readOnlyPort: 10255,
    rootDir: root ? '/var/lib/mini-kubelet' : join(homedir(), '.mini-kubelet'),
    podInfraContainerImage: DEFAULT_POD_INFRA_IMAGE,
    maxPods: 110,
    crashLoopBackOff: { initialDelayMs: 10_000, maxDelayMs: 300_000 },
    imageBackOff: { initialDelayMs: 10_000, maxDelayMs: 300_000 },
    offlineImageFallback: true,
    strict: false,
    verbosity: 0,
    apiEnabled: true,
    cronJobTimeScale: 1,
  };
}

/** The closest candidate to a mistyped name (case, `-`/`_` and a few typos forgiven), if any is close. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_.\s]/g, '');
  const exact = candidates.find((c) => norm(c) === norm(input));
  if (exact) return exact;
  const within = norm(input).length >= 4 ? candidates.filter((c) => norm(c).includes(norm(input))) : [];
  if (within.length) return within.reduce((a, b) => (b.length < a.length ? b : a));
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(input.length / 4)) + 1;
  for (const c of candidates) {
    const d = editDistance(norm(input), norm(c));
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

// ---- the file ---------------------------------------------------------------------------------------------
type Mutable = { -readonly [K in keyof KubeletConfigOverrides]: KubeletConfigOverrides[K] };
type Kind = 'string' | 'path' | 'duration' | 'int' | 'bool' | 'headers';
interface FileField { readonly kind: Kind; readonly set: (o: Mutable, v: never) => void }
const field = <K extends Kind>(kind: K, set: (o: Mutable, v: KindValue[K]) => void): FileField => ({ kind, set: set as FileField['set'] });
interface KindValue { string: string; path: string; duration: number; int: number; bool: boolean; headers: Record<string, string[]> }
const backOff = (o: Mutable, k: 'crashLoopBackOff' | 'imageBackOff', v: Partial<BackOffConfig>) => { o[k] = { ...o[k], ...v }; };

/** The fields read from the file, by dotted path. */
const FILE_FIELDS: Readonly<Record<string, FileField>> = {
  staticPodPath: field('path', (o, v) => { o.staticPodPath = v; }),
  staticPodURL: field('string', (o, v) => { o.staticPodURL = v; }),
  staticPodURLHeader: field('headers', (o, v) => { o.staticPodURLHeader = v; }),
  fileCheckFrequency: field('duration', (o, v) => { o.fileCheckFrequencyMs = v; }),
  httpCheckFrequency: field('duration', (o, v) => { o.httpCheckFrequencyMs = v; }),
  syncFrequency: field('duration', (o, v) => { o.syncFrequencyMs = v; }),
  address: field('string', (o, v) => { o.address = v; }),
  readOnlyPort: field('int', (o, v) => { o.readOnlyPort = v; }),
  maxPods: field('int', (o, v) => { o.maxPods = v; }),
  'crashLoopBackOff.maxContainerRestartPeriod': field('duration', (o, v) => backOff(o, 'crashLoopBackOff', { maxDelayMs: v })),
  'crashLoopBackOff.initialContainerRestartPeriod': field('duration', (o, v) => backOff(o, 'crashLoopBackOff', { initialDelayMs: v })),
  'imagePullBackOff.initialPeriod': field('duration', (o, v) => backOff(o, 'imageBackOff', { initialDelayMs: v })),
  'imagePullBackOff.maxPeriod': field('duration', (o, v) => backOff(o, 'imageBackOff', { maxDelayMs: v })),
  'logging.verbosity': field('int', (o, v) => { o.verbosity = v; }),
  'logging.format': field('string', () => undefined), // text or json: the agent picks by terminal
  offlineImageFallback: field('bool', (o, v) => { o.offlineImageFallback = v; }),
  strict: field('bool', (o, v) => { o.strict = v; }),
  tokenFile: field('path', (o, v) => { o.tokenFile = v; }),
  apiEnabled: field('bool', (o, v) => { o.apiEnabled = v; }),
  'labClock.cronJobTimeScale': field('int', (o, v) => { o.cronJobTimeScale = v; }),
};

/** v1beta1 fields that are valid in a KubeletConfiguration but mean nothing here: read, reported, ignored. */
const IGNORED_V1BETA1 = new Set(`enableServer podLogsDir port volumePluginDir providerID tlsCertFile tlsPrivateKeyFile
  tlsCipherSuites tlsMinVersion rotateCertificates serverTLSBootstrap authentication authorization registryPullQPS
  registryBurst imagePullCredentialsVerificationPolicy preloadedImagesVerificationAllowlist eventRecordQPS eventBurst
  enableDebuggingHandlers enableContentionProfiling healthzPort healthzBindAddress oomScoreAdj clusterDomain clusterDNS
  streamingConnectionIdleTimeout nodeStatusUpdateFrequency nodeStatusReportFrequency nodeLeaseDurationSeconds
  imageMinimumGCAge imageMaximumGCAge imageGCHighThresholdPercent imageGCLowThresholdPercent volumeStatsAggPeriod
  kubeletCgroups systemCgroups cgroupRoot cgroupsPerQOS cgroupDriver cpuManagerPolicy cpuManagerPolicyOptions
  cpuManagerReconcilePeriod memoryManagerPolicy topologyManagerPolicy topologyManagerScope topologyManagerPolicyOptions
  qosReserved runtimeRequestTimeout hairpinMode podCIDR podPidsLimit resolvConf runOnce cpuCFSQuota cpuCFSQuotaPeriod
  nodeStatusMaxImages maxOpenFiles contentType kubeAPIQPS kubeAPIBurst serializeImagePulls maxParallelImagePulls
  evictionHard evictionSoft evictionSoftGracePeriod evictionPressureTransitionPeriod evictionMaxPodGracePeriod
  evictionMinimumReclaim mergeDefaultEvictionSettings podsPerCore enableControllerAttachDetach protectKernelDefaults
  makeIPTablesUtilChains iptablesMasqueradeBit iptablesDropBit featureGates failSwapOn memorySwap containerLogMaxSize
  containerLogMaxFiles containerLogMaxWorkers containerLogMonitorInterval configMapAndSecretChangeDetectionStrategy
  systemReserved kubeReserved reservedSystemCPUs showHiddenMetricsForVersion systemReservedCgroup kubeReservedCgroup
  enforceNodeAllocatable allowedUnsafeSysctls kernelMemcgNotification enableSystemLogHandler enableSystemLogQuery
  shutdownGracePeriod shutdownGracePeriodCriticalPods shutdownGracePeriodByPodPriority reservedMemory
  enableProfilingHandler enableDebugFlagsHandler seccompDefault memoryThrottlingFactor registerWithTaints registerNode
  tracing localStorageCapacityIsolation containerRuntimeEndpoint imageServiceEndpoint failCgroupV1 userNamespaces
  singleProcessOOMKill logging.flushFrequency logging.vmodule logging.options`.split(/\s+/));

/** Names people put in the file that are flags, not KubeletConfiguration fields. */
const FLAG_ONLY: Readonly<Record<string, string>> = {
  podInfraContainerImage: '--pod-infra-container-image', rootDir: '--root-dir', nodeName: '--hostname-override',
  hostnameOverride: '--hostname-override', podManifestPath: '--pod-manifest-path (the file field is staticPodPath)',
  manifestUrl: '--manifest-url (the file field is staticPodURL)', v: '--v (the file field is logging.verbosity)',
};

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : isMap(v) ? 'a mapping' : String(v));

function readValue(kind: Kind, v: unknown, baseDir: string): { value?: unknown; error?: string } {
  switch (kind) {
    case 'string': return typeof v === 'string' ? { value: v } : { error: `must be a string, not ${show(v)}` };
    case 'path': return typeof v === 'string' && v !== '' ? { value: resolve(baseDir, v) } : { error: `must be a non-empty path string, not ${show(v)}` };
    case 'bool': return typeof v === 'boolean' ? { value: v } : { error: `must be true or false, not ${show(v)}` };
    case 'int': return Number.isInteger(v) ? { value: v } : { error: `must be an integer, not ${show(v)}` };
    case 'duration':
      if (typeof v === 'number') return { error: `must be a duration string such as "${v}s", not the number ${v}` };
      if (typeof v !== 'string') return { error: `must be a duration string such as "20s", not ${show(v)}` };
      try { return { value: parseDuration(v) }; } catch (e) { return { error: (e as Error).message }; }
    case 'headers': {
      if (!isMap(v)) return { error: `must be a mapping of header name to a list of values, not ${show(v)}` };
      const out: Record<string, string[]> = {};
      for (const [k, list] of Object.entries(v)) {
        if (typeof list === 'string') return { error: `${k}: must be a list of strings; write [${JSON.stringify(list)}]` };
        if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) return { error: `${k}: must be a list of strings, not ${show(list)}` };
        out[k] = list;
      }
      return { value: out };
    }
  }
}

function unknownField(path: string, problems: ConfigProblem[]): void {
  const leaf = path.slice(path.lastIndexOf('.') + 1);
  const flag = FLAG_ONLY[leaf];
  if (flag && path === leaf) { problems.push({ field: path, message: `unknown field: not a KubeletConfiguration field; set it with the flag ${flag}` }); return; }
  const guess = didYouMean(path, [...Object.keys(FILE_FIELDS), ...IGNORED_V1BETA1]);
  problems.push({ field: path, message: `unknown field${guess ? `; did you mean "${guess}"?` : ` (not a ${KUBELET_CONFIG_API_VERSION} KubeletConfiguration field mini-kubelet knows; fields are camelCase)`}` });
}

function walk(obj: Record<string, unknown>, prefix: string, out: Mutable, ignored: string[], problems: ConfigProblem[], baseDir: string): void {
  for (const [key, v] of Object.entries(obj)) {
    const path = prefix + key;
    if (v === null || v === undefined) continue; // `field:` with no value is unset, as Go reads it
    if (IGNORED_V1BETA1.has(path)) { ignored.push(path); continue; }
    const f = FILE_FIELDS[path];
    if (f) {
      const r = readValue(f.kind, v, baseDir);
      if (r.error) problems.push({ field: path, message: r.error });
      else f.set(out, r.value as never);
      continue;
    }
    const nested = Object.keys(FILE_FIELDS).some((k) => k.startsWith(`${path}.`));
    if (nested && isMap(v)) walk(v, `${path}.`, out, ignored, problems, baseDir);
    else if (nested) problems.push({ field: path, message: `must be a mapping, not ${show(v)}` });
    else unknownField(path, problems);
  }
}

/** Reads a KubeletConfiguration file. Relative paths in it are relative to the file, as the kubelet reads them. */
export function loadKubeletConfigFile(path: string): { config: KubeletConfigOverrides; ignored: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KubeletConfigError([{ message: `cannot read the config file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }], path);
  }
  let doc: unknown;
  try {
    doc = parseYAML(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (e) {
    throw new KubeletConfigError([{ message: `not valid YAML: ${(e as Error).message.split('\n')[0]}` }], path);
  }
  if (!isMap(doc)) throw new KubeletConfigError([{ message: `must be a KubeletConfiguration mapping (apiVersion: ${KUBELET_CONFIG_API_VERSION}, kind: KubeletConfiguration), not ${doc == null ? 'empty' : show(doc)}` }], path);
  const { apiVersion, kind, ...rest } = doc;
  const problems: ConfigProblem[] = [];
  if (kind !== 'KubeletConfiguration') problems.push({ field: 'kind', message: kind === undefined ? 'Required value: write kind: KubeletConfiguration' : `Unsupported value: ${show(kind)}: supported values: "KubeletConfiguration"` });
  if (apiVersion !== KUBELET_CONFIG_API_VERSION) problems.push({ field: 'apiVersion', message: apiVersion === undefined ? `Required value: write apiVersion: ${KUBELET_CONFIG_API_VERSION}` : `Unsupported value: ${show(apiVersion)}: supported values: "${KUBELET_CONFIG_API_VERSION}"` });
  const out: Mutable = {};
  const ignored: string[] = [];
  walk(rest, '', out, ignored, problems, dirname(resolve(path)));
  if (problems.length) throw new KubeletConfigError(problems, path);
  return { config: out, ignored };
}

// ---- merge and validate -----------------------------------------------------------------------------------
function merge(base: KubeletConfig, o: KubeletConfigOverrides): KubeletConfig {
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as KubeletConfigOverrides;
  return {
    ...base,
    ...defined,
    crashLoopBackOff: { ...base.crashLoopBackOff, ...stripUndefined(o.crashLoopBackOff) },
    imageBackOff: { ...base.imageBackOff, ...stripUndefined(o.imageBackOff) },
  };
}
const stripUndefined = <T extends object>(o: T | undefined): Partial<T> => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The fastest lab clock: an hour of CronJob time a second. */
const MAX_TIME_SCALE = 3600;
const RFC1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Every problem of a resolved config, each naming the file field and its flag. */
export function kubeletConfigProblems(c: KubeletConfig): ConfigProblem[] {
  const p: ConfigProblem[] = [];
  const positive = (name: string, ms: number) => { if (!(ms > 0)) p.push({ field: name, message: `must be greater than 0, got ${formatDuration(ms)}` }); };
  positive('fileCheckFrequency (--file-check-frequency)', c.fileCheckFrequencyMs);
  positive('httpCheckFrequency (--http-check-frequency)', c.httpCheckFrequencyMs);
  positive('syncFrequency', c.syncFrequencyMs);
  positive('relistPeriod', c.relistPeriodMs);
  if (!Number.isInteger(c.readOnlyPort) || c.readOnlyPort < 0 || c.readOnlyPort > 65535) p.push({ field: 'readOnlyPort (--read-only-port)', message: `must be between 0 and 65535, inclusive, got ${c.readOnlyPort}` });
  if (!Number.isInteger(c.maxPods) || c.maxPods < 0) p.push({ field: 'maxPods (--max-pods)', message: `must be a non-negative integer, got ${c.maxPods}` });
  if (!isIP(c.address)) p.push({ field: 'address (--address)', message: `must be an IP address such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(c.address)}` });
  if (!c.nodeName || c.nodeName.length > 253 || !RFC1123_SUBDOMAIN.test(c.nodeName)) {
    p.push({ field: 'nodeName (--hostname-override)', message: `must be a lower-case RFC 1123 subdomain (letters, digits, '-' and '.'), got ${JSON.stringify(c.nodeName)}` });
  }
  if (c.staticPodURL !== undefined) {
    let ok = false;
    try { ok = ['http:', 'https:'].includes(new URL(c.staticPodURL).protocol); } catch { /* reported below */ }
    if (!ok) p.push({ field: 'staticPodURL (--manifest-url)', message: `must be an http:// or https:// URL, got ${JSON.stringify(c.staticPodURL)}` });
  }
  for (const name of Object.keys(c.staticPodURLHeader)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) p.push({ field: 'staticPodURLHeader (--manifest-url-header)', message: `${JSON.stringify(name)} is not a valid HTTP header name` });
  }
  const { initialDelayMs: ci, maxDelayMs: cm } = c.crashLoopBackOff;
  if (!(cm >= 1000 && cm <= 300_000)) p.push({ field: 'crashLoopBackOff.maxContainerRestartPeriod', message: `must be between 1s and 5m0s, got ${formatDuration(cm)}` });
  else if (!(ci > 0 && ci <= cm)) p.push({ field: 'crashLoopBackOff.initialContainerRestartPeriod', message: `must be greater than 0 and at most maxContainerRestartPeriod (${formatDuration(cm)}), got ${formatDuration(ci)}` });
  const { initialDelayMs: ii, maxDelayMs: im } = c.imageBackOff;
  if (!(ii > 0)) p.push({ field: 'imagePullBackOff.initialPeriod', message: `must be greater than 0, got ${formatDuration(ii)}` });
  else if (!(im >= ii)) p.push({ field: 'imagePullBackOff.maxPeriod', message: `must be at least initialPeriod (${formatDuration(ii)}), got ${formatDuration(im)}` });
  if (!Number.isInteger(c.verbosity) || c.verbosity < 0) p.push({ field: 'logging.verbosity (--v)', message: `must be a non-negative integer, got ${c.verbosity}` });
  if (!Number.isInteger(c.cronJobTimeScale) || c.cronJobTimeScale < 1 || c.cronJobTimeScale > MAX_TIME_SCALE) {
    p.push({ field: 'labClock.cronJobTimeScale', message: `must be an integer between 1 and ${MAX_TIME_SCALE}, got ${c.cronJobTimeScale}` });
  }
  if (!c.rootDir) p.push({ field: '--root-dir', message: 'must not be empty' });
  if (!c.podInfraContainerImage) p.push({ field: '--pod-infra-container-image', message: 'must not be empty' });
  return p;
}

/**
 * Defaults ← config file ← flags (flags win, field by field). A CrashLoopBackOff maximum below the default
 * initial delay lowers the initial delay to it, as the kubelet does; an explicit initial delay above the
 * maximum is an error. Throws KubeletConfigError.
 */
export function resolveKubeletConfig(configFile: string | undefined, flags: KubeletConfigOverrides = {}, base: KubeletConfig = defaultKubeletConfig()): KubeletConfig {
  const file = configFile ? loadKubeletConfigFile(configFile) : undefined;
  let c = merge(merge(base, file?.config ?? {}), flags);
  const initialSet = file?.config.crashLoopBackOff?.initialDelayMs !== undefined || flags.crashLoopBackOff?.initialDelayMs !== undefined;
  if (!initialSet && c.crashLoopBackOff.initialDelayMs > c.crashLoopBackOff.maxDelayMs) {
    c = { ...c, crashLoopBackOff: { ...c.crashLoopBackOff, initialDelayMs: c.crashLoopBackOff.maxDelayMs } };
  }
  if (file) c = { ...c, ignoredConfigFields: file.ignored };
  const problems = kubeletConfigProblems(c);
  if (problems.length) throw new KubeletConfigError(problems, configFile ? `invalid configuration (flags and ${configFile})` : 'invalid configuration');
  return c;
}
