// agent/cli/flags.ts — the flags of `mini-kubelet agent`, with the kubelet's names, as a data table
// (AGENT_FLAGS), plus the parser that turns argv into config overrides and the help text built from the table.
//
// Called by agent/cli/commands/agent.ts (and tests). Parses only: it never reads the config file (that is
// resolveKubeletConfig's job, with these overrides winning), never touches the process (no exit, no output).
// Accepts `--flag=value` and `--flag value`; booleans take no value or `=true|false`; `-v N` and `-h` are the
// short forms the kubelet has. Throws FlagError with a "did you mean" hint for an unknown flag.
import { resolve } from 'node:path';
import { didYouMean, type KubeletConfig } from '../config/kubelet-config.js';
import { parseDuration } from '../util/duration.js';

export type FlagType = 'string' | 'path' | 'duration' | 'int' | 'bool' | 'headers';

export interface FlagSpec {
  /** Long name without the dashes: `pod-manifest-path`. */
  readonly name: string;
  readonly short?: string;
  readonly type: FlagType;
  /** The config field it sets; none for --config and --help. */
  readonly field?: keyof KubeletConfig;
  /** Placeholder shown in the help: `DIR`, `URL`, `DURATION`. */
  readonly arg?: string;
  readonly description: string;
  /** The default as the help shows it. */
  readonly default?: string;
  readonly repeatable?: boolean;
}

export const AGENT_FLAGS: readonly FlagSpec[] = [
  { name: 'pod-manifest-path', type: 'path', field: 'staticPodPath', arg: 'DIR',
    description: 'Folder of static pod manifests (.yaml, .yml, .json; dot-files ignored; no recursion), or a single manifest file. Changes are picked up within a second.' },
  { name: 'manifest-url', type: 'string', field: 'staticPodURL', arg: 'URL',
    description: 'URL to poll for static pod manifests (a Pod, a PodList or List, or multi-document YAML). When it fails, the last good pods keep running.' },
  { name: 'manifest-url-header', type: 'headers', field: 'staticPodURLHeader', arg: 'KEY:VALUE[,KEY:VALUE]', repeatable: true,
    description: "HTTP headers sent with --manifest-url requests, comma-separated key:value pairs; a key given again gets every value (e.g. --manifest-url-header 'a:hello,b:again' --manifest-url-header 'b:beautiful')." },
  { name: 'file-check-frequency', type: 'duration', field: 'fileCheckFrequencyMs', arg: 'DURATION', default: '20s',
    description: 'Full re-list of the manifest path, the safety net behind file-system events (Go duration: 500ms, 5s, 1m20s).' },
  { name: 'http-check-frequency', type: 'duration', field: 'httpCheckFrequencyMs', arg: 'DURATION', default: '20s',
    description: 'How often --manifest-url is polled.' },
  { name: 'hostname-override', type: 'string', field: 'nodeName', arg: 'NAME', default: 'the host name, lower-cased',
    description: 'The node name; used in static pod UIDs, spec.nodeName and Docker labels.' },
  { name: 'address', type: 'string', field: 'address', arg: 'IP', default: '127.0.0.1',
    description: 'IP address the server (the Kubernetes API, /healthz, /pods, /metrics) listens on; 0.0.0.0 for every interface.' },
  { name: 'read-only-port', type: 'int', field: 'readOnlyPort', arg: 'PORT', default: '10255',
    description: 'Port of the read-only server; 0 picks a free port.' },
  { name: 'root-dir', type: 'path', field: 'rootDir', arg: 'DIR', default: '/var/lib/mini-kubelet as root, else ~/.mini-kubelet',
    description: 'Directory for pod volumes, logs and the object store (<root-dir>/control-plane).' },
  { name: 'pod-infra-container-image', type: 'string', field: 'podInfraContainerImage', arg: 'IMAGE', default: 'registry.k8s.io/pause:3.10',
    description: 'Image of the pod sandbox (pause) container.' },
  { name: 'max-pods', type: 'int', field: 'maxPods', arg: 'N', default: '110',
    description: 'Most pods this node runs; more are rejected (OutOfpods).' },
  { name: 'config', type: 'path', arg: 'FILE',
    description: 'KubeletConfiguration file (kubelet.config.k8s.io/v1beta1). Flags win over the file.' },
  { name: 'v', short: 'v', type: 'int', field: 'verbosity', arg: 'LEVEL', default: '0',
    description: 'Log verbosity: 0-1 info, 2-3 debug, 4 and up trace.' },
  { name: 'strict', type: 'bool', field: 'strict', default: 'false',
    description: 'Reject a pod that uses a field mini-kubelet ignores (nodeSelector, affinity, tolerations, ...).' },
  { name: 'token-file', type: 'path', field: 'tokenFile', arg: 'FILE',
    description: 'File holding a bearer token that allows API writes from a non-loopback client.' },
  { name: 'kubeconfig', type: 'path', field: 'kubeconfig', arg: 'FILE',
    description: 'Run the kubelet alone, as a client of the API server this kubeconfig names (a second node). Without it the agent runs the control plane (API server and object store) itself, in the same process.' },
  { name: 'help', short: 'h', type: 'bool',
    description: 'Show this help.' },
];

/** Names people reach for that the kubelet spells differently. */
const ALIASES: Readonly<Record<string, string>> = {
  'node-name': 'hostname-override', 'nodename': 'hostname-override', 'port': 'read-only-port', 'verbose': 'v', 'verbosity': 'v',
  'manifests': 'pod-manifest-path', 'static-pod-path': 'pod-manifest-path', 'static-pod-url': 'manifest-url', 'pause-image': 'pod-infra-container-image',
};

/** A bad command line; `code` is stable, the message names the flag and what to write. */
export class FlagError extends Error {
  readonly code = 'MK_INVALID_FLAG';
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

export interface ParsedAgentFlags {
  readonly flags: Partial<KubeletConfig>;
  readonly configFile?: string;
  readonly help: boolean;
}

function convert(spec: FlagSpec, raw: string, prev: unknown): unknown {
  const bad = (why: string) => new FlagError(`invalid argument ${JSON.stringify(raw)} for "--${spec.name}" flag: ${why}`);
  switch (spec.type) {
    case 'string':
      if (raw === '') throw bad('must not be empty');
      return spec.field === 'nodeName' ? raw.trim().toLowerCase() : raw;
    case 'path':
      if (raw === '') throw bad('must not be empty');
      return resolve(raw);
    case 'int':
      if (!/^[-+]?\d+$/.test(raw.trim())) throw bad('must be an integer');
      return Number(raw);
    case 'bool':
      if (!/^(true|false|1|0|t|f)$/i.test(raw)) throw bad('must be true or false');
      return /^(true|1|t)$/i.test(raw);
    case 'duration':
      try { return parseDuration(raw); } catch (e) { throw bad((e as Error).message); }
    case 'headers': {
      const out: Record<string, string[]> = { ...(prev as Record<string, string[]> | undefined) };
      for (const pair of raw.split(',')) {
        if (pair.trim() === '') continue;
        const at = pair.indexOf(':');
        if (at <= 0) throw bad(`${JSON.stringify(pair)} is not key:value`);
        const key = pair.slice(0, at).trim();
        out[key] = [...(out[key] ?? []), pair.slice(at + 1)];
      }
      return out;
    }
  }
}

/** Parses the agent's argv (without the command word). Throws FlagError. */
export function parseAgentFlags(argv: readonly string[], table: readonly FlagSpec[] = AGENT_FLAGS): ParsedAgentFlags {
  const byName = new Map(table.map((f) => [f.name, f]));
  const byShort = new Map(table.filter((f) => f.short).map((f) => [f.short!, f]));
  const values = new Map<FlagSpec, unknown>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^(--?)([^=]+)(?:=([\s\S]*))?$/.exec(arg);
    if (!m || arg === '-' || arg === '--') {
      throw new FlagError(`unexpected argument ${JSON.stringify(arg)}: mini-kubelet agent takes only flags (did you mean --pod-manifest-path ${arg}?)`);
    }
    const [, dashes, name, inline] = m as unknown as [string, string, string, string | undefined];
    const spec = dashes === '--' ? byName.get(name) : byShort.get(name);
    if (!spec) {
      const guess = ALIASES[name] ?? didYouMean(name, table.map((f) => f.name));
      throw new FlagError(`unknown flag: ${dashes}${name}${guess ? ` (did you mean --${guess}?)` : '; see mini-kubelet agent --help'}`);
    }
    if (values.has(spec) && !spec.repeatable) throw new FlagError(`flag --${spec.name} given more than once`);
    let raw = inline;
    if (raw === undefined && spec.type === 'bool') raw = 'true';
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new FlagError(`flag needs an argument: --${spec.name} ${spec.arg ?? ''}`.trimEnd());
      raw = next;
      i++;
    }
    values.set(spec, convert(spec, raw, values.get(spec)));
  }
  const flags: Record<string, unknown> = {};
  let configFile: string | undefined;
  let help = false;
  for (const [spec, v] of values) {
    if (spec.name === 'config') configFile = v as string;
    else if (spec.name === 'help') help = v as boolean;
    else if (spec.field) flags[spec.field] = v;
  }
  return { flags: flags as Partial<KubeletConfig>, ...(configFile !== undefined ? { configFile } : {}), help };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) { lines.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The flags section of `--help`: one entry per flag, description wrapped, default last. */
export function renderHelp(table: readonly FlagSpec[] = AGENT_FLAGS, width = 100): string {
  const heads = table.map((f) => `  ${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.arg ? ` ${f.arg}` : ''}`);
  const col = Math.min(Math.max(...heads.map((h) => h.length)) + 2, 44);
  const out: string[] = [];
  table.forEach((f, i) => {
    const text = `${f.description}${f.repeatable ? ' (repeatable)' : ''}${f.default !== undefined ? ` (default: ${f.default})` : ''}`;
    const body = wrap(text, Math.max(30, width - col));
    const head = heads[i]!;
    if (head.length + 2 > col) out.push(head);
    else out.push(head.padEnd(col) + body.shift()!);
    for (const l of body) out.push(' '.repeat(col) + l);
  });
  return `${out.join('\n')}\n`;
}
