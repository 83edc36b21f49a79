// client/kubeconfig.ts — a kubeconfig file as a ClientConfig: its current-context (or the context named) →
// the cluster's server, CA (certificate-authority file or -data) and insecure-skip-tls-verify, and the
// user's token (token or tokenFile) or client certificate (client-certificate/-key files or -data). Relative
// file paths are relative to the kubeconfig's folder, as kubectl reads them. $KUBECONFIG is not consulted:
// the kubelet's --kubeconfig flag names the file. Errors name the file and the missing entry.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { HttpKubeClient, type ClientConfig } from './http.js';

type Entry = Record<string, unknown>;

const isEntry = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (e: Entry, field: string): string | undefined => (typeof e[field] === 'string' && e[field] !== '' ? (e[field] as string) : undefined);

/** Reads `path` (default ~/.kube/config) and resolves `context` (default its current-context). */
export function loadKubeconfig(path: string = join(homedir(), '.kube', 'config'), context?: string): ClientConfig {
  const file = resolve(path);
  const doc = readDoc(file);
  const ctxName = context ?? str(doc, 'current-context');
  if (!ctxName) throw new Error(`no context given and no current-context in ${file}`);
  const ctx = named(doc, 'contexts', 'context', ctxName, file);
  if (!ctx) throw new Error(`context "${ctxName}" not found in ${file}`);

  const clusterName = str(ctx, 'cluster');
  if (!clusterName) throw new Error(`context "${ctxName}" in ${file} names no cluster`);
  const cluster = named(doc, 'clusters', 'cluster', clusterName, file);
  if (!cluster) throw new Error(`cluster "${clusterName}" (of context "${ctxName}") not found in ${file}`);
  const server = str(cluster, 'server');
  if (!server) throw new Error(`cluster "${clusterName}" in ${file} has no server`);

  const read = (what: string, p: string): Buffer => {
    const abs = isAbsolute(p) ? p : resolve(dirname(file), p);
    try {
      return readFileSync(abs);
    } catch (e) {
      throw new Error(`cannot read the ${what} ${abs} named in ${file}: ${(e as Error).message}`);
    }
  };
  const pem = (e: Entry, fileField: string, dataField: string, what: string): string | undefined => {
    const data = str(e, dataField);
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    const p = str(e, fileField);
    return p ? read(what, p).toString('utf8') : undefined;
  };

  const ca = pem(cluster, 'certificate-authority', 'certificate-authority-data', 'certificate authority');
  const insecure = cluster['insecure-skip-tls-verify'] === true;
  const config: { -readonly [K in keyof ClientConfig]: ClientConfig[K] } = { server, ...(ca ? { ca } : {}), ...(insecure ? { insecureSkipTLSVerify: true } : {}) };

  const userName = str(ctx, 'user');
  if (!userName) return config;
  const user = named(doc, 'users', 'user', userName, file);
  if (!user) throw new Error(`user "${userName}" (of context "${ctxName}") not found in ${file}`);
  for (const unsupported of ['exec', 'auth-provider', 'username']) {
    if (user[unsupported] !== undefined) throw new Error(`user "${userName}" in ${file} uses ${unsupported}, which mini-kubelet does not support (use a token, tokenFile or a client certificate)`);
  }
  const tokenFile = str(user, 'tokenFile');
  const token = str(user, 'token') ?? (tokenFile ? read('tokenFile', tokenFile).toString('utf8').trim() : undefined);
  if (token) config.token = token;
  const cert = pem(user, 'client-certificate', 'client-certificate-data', 'client certificate');
  const key = pem(user, 'client-key', 'client-key-data', 'client key');
  if (Boolean(cert) !== Boolean(key)) throw new Error(`user "${userName}" in ${file} has a client ${cert ? 'certificate but no key' : 'key but no certificate'}`);
  if (cert && key) Object.assign(config, { cert, key });
  return config;
}

/** An HttpKubeClient for the context (default: the current one) of the kubeconfig at `path`. */
export function clientFromKubeconfig(path: string, context?: string, extra: Pick<ClientConfig, 'userAgent' | 'timeoutMs'> = {}): HttpKubeClient {
  return new HttpKubeClient({ ...loadKubeconfig(path, context), ...extra });
}

function readDoc(file: string): Entry {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the kubeconfig ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new Error(`the kubeconfig ${file} is not valid YAML: ${(e as Error).message}`);
  }
  if (!isEntry(doc)) throw new Error(`the kubeconfig ${file} is not a YAML mapping`);
  return doc;
}

/** The `field` mapping of the entry named `name` in the list `list` (`contexts: [{name, context: {…}}]`). */
function named(doc: Entry, list: string, field: string, name: string, file: string): Entry | undefined {
  const entries = doc[list] ?? [];
  if (!Array.isArray(entries)) throw new Error(`${list} in ${file} is not a list`);
  const hit = entries.find((e: unknown) => isEntry(e) && e['name'] === name) as Entry | undefined;
  if (!hit) return undefined;
  return isEntry(hit[field]) ? hit[field] : {};
}
