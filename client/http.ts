// client/http.ts — HttpKubeClient: the KubeClient of client/types.ts over the Kubernetes REST API (the wire
// kubectl speaks), on one keep-alive undici Pool per client (http or https: CA, client certificate, or no
// verification). Bodies are JSON; a bearer token goes in Authorization when given.
//
// Failures: a non-2xx answer throws ApiError with its Status (or one made of the code and the text); a
// transport failure or a call that outlasts `timeoutMs` (not watches) throws ApiError.unreachable (code 0);
// a call aborted through its own signal rejects with the signal's reason. A watch is an async iterable of
// the chunked JSON-lines stream; it ends when the server ends it or quietly when its signal aborts.
import type { IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { ApiError } from './errors.js';
import { listQuery, namespaceFor, PATCH_CONTENT_TYPES, resourcePath, statusOf, writeQuery } from './paths.js';
import type {
  DeleteOptions, KubeClient, KubeObject, ListOptions, ObjectList, PatchOptions, PatchType, ResourceRef, UpdateOptions, WatchEvent, WatchOptions, WriteOptions,
} from './types.js';
import { asWatchEvent, jsonLines } from './watch-stream.js';
import { warningTexts } from './warnings.js';

/** Where and how to reach an API server (what a kubeconfig context resolves to). */
export interface ClientConfig {
  /** Base URL, `https://host:6443` (a path prefix is kept). */
  readonly server: string;
  /** Bearer token. */
  readonly token?: string;
  /** PEM: the CA that signs the server's certificate (default: Node's trusted roots). */
  readonly ca?: string | Buffer;
  /** PEM: client certificate and key (TLS client authentication). */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** Do not verify the server's certificate. */
  readonly insecureSkipTLSVerify?: boolean;
  /** Default `mini-kubelet/v0.1.0`; the server takes the default fieldManager from its first word. */
  readonly userAgent?: string;
  /** Whole-call timeout of every call but watches (default 30 s). */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_USER_AGENT = 'mini-kubelet/v0.1.0';

interface Call {
  readonly method: Dispatcher.HttpMethod;
  readonly path: string;
  readonly query?: URLSearchParams;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  readonly onWarning?: (text: string) => void;
}

export class HttpKubeClient implements KubeClient {
  /** close() may be called again (a second stop): it waits for the same close. */
  #closing: Promise<void> | undefined;
  readonly server: string;
  readonly #pool: Pool;
  readonly #base: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  /** One per open watch: close() ends them. */
  readonly #watches = new Set<AbortController>();

  constructor(config: ClientConfig) {
    const url = new URL(config.server);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`the API server URL must be http or https: ${config.server}`);
    this.server = config.server.replace(/\/+$/, '');
    this.#base = url.pathname.replace(/\/+$/, '');
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#headers = { accept: 'application/json', 'user-agent': config.userAgent ?? DEFAULT_USER_AGENT };
    if (config.token) this.#headers['authorization'] = `Bearer ${config.token}`;
    this.#pool = new Pool(url.origin, {
      keepAliveTimeout: 10_000,
      connect: url.protocol === 'https:' ? { ca: config.ca, cert: config.cert, key: config.key, rejectUnauthorized: !config.insecureSkipTLSVerify } : undefined,
    });
  }

  get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, opts: { subresource?: string; signal?: AbortSignal } = {}): Promise<T> {
    return this.#json<T>({ method: 'GET', path: resourcePath(ref, namespaceFor(ref, namespace), name, opts.subresource), signal: opts.signal });
  }

  list<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: ListOptions = {}): Promise<ObjectList<T>> {
    return this.#json<ObjectList<T>>({ method: 'GET', path: resourcePath(ref, opts.namespace), query: listQuery(opts, false), signal: opts.signal });
  }

  watch<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    return { [Symbol.asyncIterator]: () => this.#watch<T>(ref, opts) };
  }

  create<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, opts: WriteOptions & { subresource?: string; name?: string } = {}): Promise<T> {
    const name = opts.subresource ? (opts.name ?? obj.metadata?.name) : opts.name;
    const path = resourcePath(ref, namespaceFor(ref, namespace, obj), name, opts.subresource);
    return this.#json<T>({ method: 'POST', path, query: writeQuery(opts), body: obj, signal: opts.signal, onWarning: opts.onWarning });
  }

  update<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, opts: UpdateOptions = {}): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw new TypeError(`update of ${ref.resource}: the object has no metadata.name`);
    const path = resourcePath(ref, namespaceFor(ref, namespace, obj), name, opts.subresource);
    return this.#json<T>({ method: 'PUT', path, query: writeQuery(opts), body: obj, signal: opts.signal, onWarning: opts.onWarning });
  }

  patch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const path = resourcePath(ref, namespaceFor(ref, namespace), name, opts.subresource);
    return this.#json<T>({ method: 'PATCH', path, query: writeQuery(opts), body: patch, contentType: PATCH_CONTENT_TYPES[type], signal: opts.signal, onWarning: opts.onWarning });
  }

  delete(ref: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    const body = {
      kind: 'DeleteOptions', apiVersion: 'v1',
      gracePeriodSeconds: opts.gracePeriodSeconds, propagationPolicy: opts.propagationPolicy, preconditions: opts.preconditions,
      dryRun: opts.dryRun ? ['All'] : undefined,
    };
    const path = resourcePath(ref, namespaceFor(ref, namespace), name);
    return this.#json<KubeObject>({ method: 'DELETE', path, query: writeQuery({ dryRun: opts.dryRun }), body, signal: opts.signal });
  }

  getPath<T = unknown>(path: string, opts: { signal?: AbortSignal } = {}): Promise<T> {
    return this.#json<T>({ method: 'GET', path, signal: opts.signal });
  }

  /** Ends open watches (their iterations end quietly), waits for the calls in flight, closes the connections. */
  async close(): Promise<void> {
    for (const w of this.#watches) w.abort();
    this.#closing ??= this.#pool.close();
    await this.#closing;
  }

  /** A non-watch call: the answer's JSON, or the ApiError of its Status. */
  async #json<T>(call: Call): Promise<T> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let status: number;
    let text: string;
    try {
      const res = await this.#request(call, signal, false);
      status = res.statusCode;
      if (call.onWarning) for (const w of warningTexts(res.headers['warning'])) call.onWarning(w);
      text = await res.body.text();
    } catch (e) {
      if (call.signal?.aborted) throw call.signal.reason ?? e;
      throw ApiError.unreachable(this.server, timeout.aborted ? `no answer within ${this.#timeoutMs} ms (${call.method} ${call.path})` : e);
    }
    if (status < 200 || status > 299) throw new ApiError(statusOf(status, text));
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: `the server answered ${status} to ${call.method} ${call.path} with a body that is not JSON: ${text.slice(0, 200)}` });
    }
  }

  async *#watch<T extends KubeObject>(ref: ResourceRef, opts: WatchOptions): AsyncGenerator<WatchEvent<T>> {
    const own = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, own.signal]) : own.signal;
    const call: Call = { method: 'GET', path: resourcePath(ref, opts.namespace), query: listQuery(opts, true), signal };
    this.#watches.add(own);
    let res: Dispatcher.ResponseData | undefined;
    try {
      try {
        res = await this.#request(call, signal, true, opts.timeoutSeconds);
      } catch (e) {
        if (signal.aborted) return;
        throw ApiError.unreachable(this.server, e);
      }
      if (res.statusCode < 200 || res.statusCode > 299) throw new ApiError(statusOf(res.statusCode, await res.body.text()));
      for await (const v of jsonLines(res.body)) yield asWatchEvent<T>(v);
    } catch (e) {
      if (signal.aborted) return;
      throw e instanceof ApiError ? e : ApiError.unreachable(this.server, e);
    } finally {
      this.#watches.delete(own);
      if (res && !res.body.destroyed) res.body.destroy();
    }
  }

  #request(call: Call, signal: AbortSignal | undefined, watch: boolean, timeoutSeconds?: number): Promise<Dispatcher.ResponseData> {
    const headers: IncomingHttpHeaders = { ...this.#headers };
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = call.contentType ?? 'application/json';
    }
    const qs = call.query?.toString();
    return this.#pool.request({
      method: call.method, path: `${this.#base}${call.path}${qs ? `?${qs}` : ''}`, headers, body, signal,
      // A watch may be quiet until the server ends it at timeoutSeconds (bookmarks come every minute).
      ...(watch ? { bodyTimeout: timeoutSeconds ? (timeoutSeconds + 60) * 1000 : 0 } : {}),
    });
  }
}
