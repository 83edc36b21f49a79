// agent/kuberuntime/pull-secrets.ts — imagePullSecrets → the registry credentials for one image, as the
// kubelet's credential keyring finds them.
//
// Secrets of type kubernetes.io/dockerconfigjson (`.dockerconfigjson`: {"auths": {...}}) and the legacy
// kubernetes.io/dockercfg (`.dockercfg`: {...}) are read; each entry's key is a registry (`docker.io`,
// `https://index.docker.io/v1/`, `registry.example.com:5000/team`, `*.example.com`). Entries that match the
// image (host, optional port, path prefix; `*` matches one DNS label) are returned most specific first; the
// image manager tries them in turn, and pulls without credentials when none match. Secrets that cannot be
// found are reported so the caller can warn, as the kubelet does (FailedToRetrieveImagePullSecret).
import type { AuthConfig } from '../../cri/api.js';
import type { Pod, Secret } from '../api/v1.js';
import type { ConfigStore } from './env.js';
import { secretValue } from './env.js';

interface DockerConfigEntry { username?: string; password?: string; auth?: string; email?: string; identitytoken?: string; registrytoken?: string }

const DOCKER_HUB = 'index.docker.io';

function normHost(host: string): string {
  const h = host.toLowerCase();
  return h === 'docker.io' || h === 'registry-1.docker.io' || h === 'index.docker.io' ? DOCKER_HUB : h;
}

/** An image reference's registry host (with port) and repository path. */
export function imageRegistry(image: string): { host: string; path: string } {
  const name = image.split('@')[0]!.replace(/:[^/:]+$/, '');
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { host: normHost(first), path: name.slice(slash + 1) };
  }
  return { host: DOCKER_HUB, path: slash >= 0 ? name : `library/${name}` };
}

/** A keyring key → host (port included), path prefix. */
function parseKey(key: string): { host: string; path: string } {
  const k = key.replace(/^[a-z]+:\/\//i, '');
  const slash = k.indexOf('/');
  const host = normHost(slash >= 0 ? k.slice(0, slash) : k);
  let path = slash >= 0 ? k.slice(slash + 1).replace(/\/+$/, '') : '';
  if (host === DOCKER_HUB && /^v[12]$/.test(path)) path = '';
  return { host, path };
}

function hostMatches(pattern: string, host: string): boolean {
  const [pHost, pPort] = pattern.split(':');
  const [hHost, hPort] = host.split(':');
  if ((pPort ?? '') !== (hPort ?? '')) return false;
  const p = pHost!.split('.');
  const h = hHost!.split('.');
  return p.length === h.length && p.every((label, i) => label === '*' || label === h[i]);
}

/** The entries of one dockerconfigjson/dockercfg Secret (empty for other types or bad JSON). */
export function dockerConfigEntries(s: Secret): Record<string, DockerConfigEntry> {
  try {
    if (s.type === 'kubernetes.io/dockerconfigjson' || secretValue(s, '.dockerconfigjson') !== undefined) {
      const v = JSON.parse(secretValue(s, '.dockerconfigjson') ?? '{}') as { auths?: Record<string, DockerConfigEntry> };
      return v.auths ?? {};
    }
    if (s.type === 'kubernetes.io/dockercfg' || secretValue(s, '.dockercfg') !== undefined) {
      return JSON.parse(secretValue(s, '.dockercfg') ?? '{}') as Record<string, DockerConfigEntry>;
    }
  } catch { /* not JSON: no credentials */ }
  return {};
}

function toAuth(key: string, e: DockerConfigEntry): AuthConfig {
  let { username, password } = e;
  if (!username && e.auth) {
    const plain = Buffer.from(e.auth, 'base64').toString('utf8');
    const i = plain.indexOf(':');
    if (i >= 0) { username = plain.slice(0, i); password = plain.slice(i + 1); }
  }
  return {
    serverAddress: key,
    ...(username ? { username } : {}), ...(password ? { password } : {}), ...(e.auth ? { auth: e.auth } : {}),
    ...(e.identitytoken ? { identityToken: e.identitytoken } : {}), ...(e.registrytoken ? { registryToken: e.registrytoken } : {}),
  };
}

export interface PullCredentials {
  /** Matching credentials, most specific first. */
  readonly auths: AuthConfig[];
  /** imagePullSecrets that do not exist. */
  readonly missing: string[];
}

/** The credentials of the pod's imagePullSecrets that apply to `image`. */
export function pullCredentials(pod: Pod, image: string, store: ConfigStore): PullCredentials {
  const ns = pod.metadata?.namespace ?? 'default';
  const target = imageRegistry(image);
  const found: { spec: number; auth: AuthConfig }[] = [];
  const missing: string[] = [];
  for (const ref of pod.spec?.imagePullSecrets ?? []) {
    const name = ref.name ?? '';
    const s = store.getSecret(ns, name);
    if (!s) { missing.push(name); continue; }
    for (const [key, entry] of Object.entries(dockerConfigEntries(s))) {
      const k = parseKey(key);
      if (!hostMatches(k.host, target.host)) continue;
      if (k.path && target.path !== k.path && !target.path.startsWith(`${k.path}/`)) continue;
      found.push({ spec: k.host.length + k.path.length, auth: toAuth(key, entry) });
    }
  }
  found.sort((a, b) => b.spec - a.spec);
  return { auths: found.map((f) => f.auth), missing };
}
