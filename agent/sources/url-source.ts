// agent/sources/url-source.ts — a URL as a pod source, like the kubelet's config/http.go: GET every
// httpCheckFrequency with the configured headers (redirects followed, 10 s client timeout); the body is a Pod,
// a PodList or List, or multi-document YAML, with ConfigMaps and Secrets beside the pods, YAML or JSON.
//
// On any error (unreachable, non-200 → `<url>: <status>`, empty body → `zero-length data received from <url>`,
// a manifest error) no snapshot is emitted: the error lines go to `report` and the last good pods stay. The
// one exception is the very first answer being empty: then an empty snapshot is emitted so the source counts
// as seen (the kubelet does that too; there are no earlier pods to keep). Unchanged bytes emit nothing.
// Called by the wiring (through PodConfig.run); owns only its HTTP client; never throws out of run().
import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { systemClock, type Clock } from '../../cri/clock.js';
import { formatDuration } from '../util/duration.js';
import { decodeManifest, formatManifestError } from './manifest.js';
import { stampStaticPod, type PodSource, type PodSourceSnapshot, type SourceLog } from './source.js';

export interface UrlSourceOptions {
  /** staticPodURL. */
  readonly url: string;
  /** staticPodURLHeader: every value of a name is sent. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  readonly nodeName: string;
  /** httpCheckFrequency. */
  readonly checkFrequencyMs: number;
  /** Whole-request timeout (default 10 s, the kubelet's client timeout). */
  readonly timeoutMs?: number;
  readonly log: SourceLog;
  readonly clock?: Clock;
  /** Largest body read (default 1 MiB). */
  readonly maxBytes?: number;
  /** HTTP client (tests); default: an undici Agent that follows up to 10 redirects, like Go's client. */
  readonly dispatcher?: Dispatcher;
}

const DEFAULT_MAX_BYTES = 1 << 20;

type Fetched = { body: Buffer } | { error: string };

export class UrlSource implements PodSource {
  readonly name = 'http';
  readonly #o: UrlSourceOptions;
  readonly #clock: Clock;
  /** The last body processed (good or not) and the errors it gave; unchanged bytes are not decoded again. */
  #last: { hash: string; errors: readonly string[] } | undefined;
  #emitted = false;
  #failing = false;

  constructor(o: UrlSourceOptions) {
    this.#o = o;
    this.#clock = o.clock ?? systemClock;
  }

  async run(signal: AbortSignal, emit: (s: PodSourceSnapshot) => void, report: (errors: readonly string[]) => void = () => {}): Promise<void> {
    const own = this.#o.dispatcher ? undefined : new Agent();
    const dispatcher = this.#o.dispatcher ?? own!.compose(interceptors.redirect({ maxRedirections: 10 }));
    try {
      while (!signal.aborted) {
        await this.#poll(signal, dispatcher, emit, report).catch((e: unknown) => {
          if (!signal.aborted) this.#o.log.warn({ url: this.#o.url, err: (e as Error).message }, 'Manifest URL poll failed');
        });
        await this.#clock.sleep(this.#o.checkFrequencyMs, signal).catch(() => undefined);
      }
    } finally {
      await own?.close().catch(() => undefined);
    }
  }

  async #poll(signal: AbortSignal, dispatcher: Dispatcher, emit: (s: PodSourceSnapshot) => void, report: (errors: readonly string[]) => void): Promise<void> {
    const url = this.#o.url;
    const fail = (line: string) => {
      if (signal.aborted) return;
      this.#failing = true;
      this.#o.log.debug({ url }, line); // the error line itself reaches the log through PodConfig's onErrors
      report([line]);
    };
    const got = await this.#fetch(signal, dispatcher);
    if (signal.aborted) return;
    if ('error' in got) return fail(got.error);
    if (got.body.length === 0) {
      if (!this.#emitted) { this.#emitted = true; emit({ source: this.name, pods: [], configMaps: [], secrets: [], errors: [] }); }
      return fail(`zero-length data received from ${url}`);
    }
    const hash = createHash('sha256').update(got.body).digest('hex');
    if (this.#last?.hash === hash) {
      if (this.#failing) { this.#failing = false; report(this.#last.errors); } // recovered: back to what this body said
      return;
    }
    // JSON when it looks like JSON (better messages); YAML otherwise, or when it was YAML in flow style after all.
    const opts = { maxBytes: this.#o.maxBytes ?? DEFAULT_MAX_BYTES };
    let fileName = /^\s*[[{]/.test(got.body.toString('utf8', 0, 64)) ? 'body.json' : 'body.yaml';
    let d = decodeManifest(fileName, got.body, opts);
    if (fileName === 'body.json' && d.errors.some((e) => /^invalid JSON/.test(e.message))) {
      const y = decodeManifest('body.yaml', got.body, opts);
      if (!y.errors.some((e) => /^YAML syntax error/.test(e.message))) { fileName = 'body.yaml'; d = y; }
    }
    const at = (origin: string) => (origin.startsWith(fileName) ? url + origin.slice(fileName.length) : origin);
    const errors = d.errors.map((e) => formatManifestError({ ...e, origin: at(e.origin) }));
    this.#last = { hash, errors };
    this.#failing = false;
    if (errors.length) {
      report(errors);
      return;
    }
    const seenMs = this.#clock.now();
    const pods = d.pods.map(({ pod, origin }) => ({
      pod: stampStaticPod(pod, { source: 'http', uidSource: `url:${url}`, nodeName: this.#o.nodeName, seenMs }),
      origin: at(origin),
    }));
    this.#emitted = true;
    emit({ source: this.name, pods, configMaps: d.configMaps, secrets: d.secrets, errors: [] });
  }

  async #fetch(signal: AbortSignal, dispatcher: Dispatcher): Promise<Fetched> {
    const url = this.#o.url;
    const timeoutMs = this.#o.timeoutMs ?? 10_000;
    const max = this.#o.maxBytes ?? DEFAULT_MAX_BYTES;
    const ac = new AbortController();
    const onAbort = () => ac.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = this.#clock.setTimeout(() => { timedOut = true; ac.abort(new Error('timeout')); }, timeoutMs);
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(this.#o.headers ?? {})) headers[k] = [...v];
    try {
      const res = await request(url, { method: 'GET', headers, signal: ac.signal, dispatcher });
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined);
        return { error: `${url}: ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}`.trimEnd() };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > max) {
          res.body.destroy();
          return { error: `${url}: response body larger than the ${max}-byte limit for manifests` };
        }
        chunks.push(chunk as Buffer);
      }
      return { body: Buffer.concat(chunks) };
    } catch (e) {
      if (timedOut) return { error: `${url}: no complete answer within ${formatDuration(timeoutMs)} (client timeout)` };
      const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
      return { error: `${url}: ${err.cause?.message ?? err.message ?? err.code}` };
    } finally {
      timer.cancel();
      signal.removeEventListener('abort', onAbort);
    }
  }
}
