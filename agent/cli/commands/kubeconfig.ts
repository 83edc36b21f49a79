// agent/cli/commands/kubeconfig.ts — `mini-kubelet kubeconfig`: writes a kubectl context (cluster, user,
// context, all named after --context) pointing at the agent, merged into an existing kubeconfig with the
// `yaml` package so other contexts, users, clusters and comments stay as they were.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';

const HELP = `Usage: mini-kubelet kubeconfig [--server URL] [--context NAME] [--kubeconfig PATH] [--use] [--print]
                               [--namespace NS] [--token-file PATH]

Writes a context for kubectl that points at the mini-kubelet agent, so that
  kubectl --context mini-kubelet get pods
works with no other flags. The cluster, user and context entries are all named after --context; an entry
of that name is replaced, every other entry of the file is kept as it was.

Flags:
      --server URL          the agent's address (default http://127.0.0.1:10255)
      --context NAME        the context (and cluster and user) name (default mini-kubelet)
      --kubeconfig PATH     the file to merge into (default: $KUBECONFIG — its first existing file, else its
                            last — or ~/.kube/config); created if missing
      --use                 also make it the current context (a file without a current context gets it anyway)
      --namespace NS        the context's default namespace
      --token-file PATH     embed the bearer token from this file (the agent's --token-file), needed for
                            writes when the agent does not listen on loopback
      --print               print a standalone kubeconfig with only this context instead of writing
  -h, --help                this help
`;

export interface KubeconfigOptions {
  readonly server: string;
  readonly context: string;
  readonly namespace?: string;
  readonly token?: string;
  readonly use?: boolean;
}

/** Which file kubectl would modify: --kubeconfig, else $KUBECONFIG (first existing, else last), else ~/.kube/config. */
export function kubeconfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (explicit) return resolve(explicit);
  const files = [...new Set((env.KUBECONFIG ?? '').split(delimiter).filter(Boolean))];
  if (files.length === 1) return resolve(files[0]!);
  if (files.length > 1) return resolve(files.find((f) => existsSync(f)) ?? files[files.length - 1]!);
  return join(home, '.kube', 'config');
}

/**
 * Merges the context into a kubeconfig's text (undefined or empty: a new file) and returns the new text.
 * Entries named `o.context` in clusters, users and contexts are replaced in place; others are untouched.
 * current-context is set with `use`, or when the file has none.
 */
export function mergeKubeconfig(existing: string | undefined, o: KubeconfigOptions): string {
  const doc = existing && existing.trim() ? parseDocument(existing) : new Document({});
  if (doc.errors.length) throw new Error(`the kubeconfig is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({}) as never;
  const root = doc.contents;
  if (!isMap(root)) throw new Error('the kubeconfig is not a YAML mapping; fix or move it, or pass --kubeconfig PATH');
  if (!root.has('apiVersion')) root.set('apiVersion', 'v1');
  if (!root.has('kind')) root.set('kind', 'Config');
  const entries = stanzas(o);
  upsert(doc, root, 'clusters', o.context, { cluster: entries.cluster });
  upsert(doc, root, 'contexts', o.context, { context: entries.context });
  const current = root.get('current-context');
  if (o.use || typeof current !== 'string' || !current) root.set('current-context', o.context);
  if (!root.has('preferences')) root.set('preferences', doc.createNode({}));
  upsert(doc, root, 'users', o.context, { user: entries.user });
  return doc.toString();
}

/** A kubeconfig with only this context in it, current. */
export function standaloneKubeconfig(o: KubeconfigOptions): string {
  return mergeKubeconfig(undefined, { ...o, use: true });
}

function stanzas(o: KubeconfigOptions) {
  return {
    cluster: { server: o.server },
    context: { cluster: o.context, user: o.context, ...(o.namespace ? { namespace: o.namespace } : {}) },
    user: o.token ? { token: o.token } : {},
  };
}

function upsert(doc: Document, root: YAMLMap, key: string, name: string, body: Record<string, unknown>): void {
  const found: unknown = root.get(key, true);
  let list: YAMLSeq;
  if (isSeq(found)) list = found;
  else if (found === undefined || found === null || (isScalar(found) && found.value === null)) {
    list = new YAMLSeq();
    root.set(key, list);
  } else throw new Error(`"${key}" in the kubeconfig is not a list`);
  list.flow = false; // `clusters: []` as kubectl writes it would otherwise print our entry inline
  const node = doc.createNode({ name, ...body });
  const i = list.items.findIndex((it) => isMap(it) && it.get('name') === name);
  if (i >= 0) list.items[i] = node;
  else list.items.push(node);
}

export async function runKubeconfig(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, options: {
        help: { type: 'boolean', short: 'h' },
        server: { type: 'string', default: 'http://127.0.0.1:10255' },
        context: { type: 'string', default: 'mini-kubelet' },
        kubeconfig: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        'token-file': { type: 'string' },
        use: { type: 'boolean' },
        print: { type: 'boolean' },
      },
    }));
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) { process.stdout.write(HELP); return 0; }
  const fail = (msg: string, code = 2) => { process.stderr.write(`error: ${msg}\n`); return code; };
  const server = values.server!.replace(/\/+$/, '');
  let url: URL;
  try { url = new URL(server); } catch { return fail(`--server must be a URL such as http://127.0.0.1:10255, not "${server}"`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`--server must be an http:// or https:// URL, not "${server}"`);
  const context = values.context!;
  if (!/^[A-Za-z0-9][A-Za-z0-9._@:-]*$/.test(context)) return fail(`--context "${context}" is not a usable name (letters, digits, . _ @ : -)`);
  let token: string | undefined;
  if (values['token-file']) {
    try { token = readFileSync(values['token-file'], 'utf8').trim(); } catch (err) {
      return fail(`cannot read --token-file: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!token) return fail(`the token file ${values['token-file']} is empty`);
  }
  const o: KubeconfigOptions = { server, context, namespace: values.namespace, token, use: values.use };
  if (values.print) { process.stdout.write(standaloneKubeconfig(o)); return 0; }

  const path = kubeconfigPath(values.kubeconfig);
  try {
    const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    const before = existing ? (parseDocument(existing).get('current-context') as unknown) : undefined;
    const text = mergeKubeconfig(existing, o);
    writeAtomically(path, text);
    const switched = o.use || !before;
    process.stdout.write(`Context "${context}" (server ${server}) written to ${path}.\n`
      + (switched ? `Switched to context "${context}": try \`kubectl get pods\`.\n` : `Use it with \`kubectl --context ${context} get pods\`, or make it current with \`kubectl config use-context ${context}\`.\n`));
    return 0;
  } catch (err) {
    return fail(`cannot update ${path}: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
}

/** Writes beside the file and renames over it, keeping an existing file's mode (0600 for a new one). */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const mode = existsSync(path) ? statSync(path).mode & 0o777 : 0o600;
  const tmp = `${path}.mini-kubelet-${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}
