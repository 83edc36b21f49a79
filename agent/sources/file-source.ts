// agent/sources/file-source.ts — the manifest folder (or single manifest file) as a pod source, like the
// kubelet's config/file.go + file_linux.go: fs.watch for prompt updates (debounced ~100 ms), and a full relist
// every fileCheckFrequency as the safety net (and to re-arm the watch when the folder comes and goes).
//
// Reads `.yaml`, `.yml`, `.json` regular files (symlinks followed) whose names do not start with `.`, sorted by
// name, no recursion. A changed file is accepted only when two reads agree (content, size, mtime), the second
// one when the file has been quiet for `settleMs`: a half-written file is never acted on, and the file's
// previous content stays in force meanwhile.
// The same namespace/name in two places: the later one (by file order, then document) is rejected.
// Owns only its own view of the folder; called by the wiring (through PodConfig.run). Never writes a file,
// never throws out of run(): unreadable files, symlink loops and bad manifests become error lines.
import { createHash } from 'node:crypto';
import { constants, watch, type FSWatcher, type Stats } from 'node:fs';
import { lstat, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { ConfigMap, Secret } from '../api/v1.js';
import { systemClock, type Clock, type Timer } from '../../cri/clock.js';
import { decodeManifest, formatManifestError } from './manifest.js';
import { boundedLine } from '../util/bounded-line.js';
import { fsProblem, notRegular } from './fs-problems.js';
import { afterPendingEvents, WriteEvents, type WatchEvent } from './write-events.js';
import type { FolderObject } from './folder-objects.js';
import { objectKey, stampStaticPod, type PodSource, type PodSourceSnapshot, type SourceLog, type SourcePod } from './source.js';

export interface FileSourceOptions {
  /** staticPodPath: a folder, or one manifest file. */
  readonly path: string;
  readonly nodeName: string;
  /** Full relist period (fileCheckFrequency). */
  readonly checkFrequencyMs: number;
  readonly log: SourceLog;
  readonly clock?: Clock;
  /** How long a changed file must be quiet (by mtime) before its second read (default 300 ms). */
  readonly settleMs?: number;
  /** Delay after a file-system event before the relist (default 100 ms). */
  readonly debounceMs?: number;
  /** Largest manifest read (default 1 MiB). */
  readonly maxBytes?: number;
  /** Use fs.watch (default true); without it only the periodic relist sees changes. */
  readonly watch?: boolean;
  /**
   * Documents of kinds other than Pod, ConfigMap and Secret are offered here (every file's, in file order, on
   * the first relist and whenever a file changed); without it they are refused as unsupported.
   */
  readonly onObjects?: (objects: readonly FolderObject[]) => void;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const DEFAULT_MAX_BYTES = 1 << 20;

/** One accepted version of one file. */
interface FileState {
  readonly hash: string;
  readonly pods: readonly SourcePod[];
  readonly configMaps: readonly ConfigMap[];
  readonly secrets: readonly Secret[];
  readonly objects: readonly FolderObject[];
  readonly errors: readonly string[];
}

interface FirstRead { readonly full: string; readonly name: string; readonly data?: Buffer; readonly hash: string; readonly stats?: Stats; readonly error?: string }

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

export class FileSource implements PodSource {
  readonly name = 'file';
  readonly #o: FileSourceOptions;
  readonly #path: string;
  readonly #clock: Clock;
  readonly #accepted = new Map<string, FileState>();
  readonly #said = new Set<string>();
  readonly #writes = new WriteEvents();
  #lastKey: string | undefined;

  constructor(o: FileSourceOptions) {
    this.#o = o;
    this.#path = resolve(o.path);
    this.#clock = o.clock ?? systemClock;
  }

  run(signal: AbortSignal, emit: (s: PodSourceSnapshot) => void): Promise<void> {
    const debounceMs = this.#o.debounceMs ?? 100;
    let watcher: FSWatcher | undefined;
    let watchedIno: number | undefined;
    let relistTimer: Timer | undefined;
    let soonTimer: Timer | undefined;
    let soonAt = Infinity;
    let scanning = false;
    let again = false;

    const closeWatcher = () => { watcher?.close(); watcher = undefined; watchedIno = undefined; };
    const soon = (ms = debounceMs) => {
      if (signal.aborted || this.#clock.now() + ms >= soonAt) return;
      soonTimer?.cancel();
      soonAt = this.#clock.now() + ms;
      soonTimer = this.#clock.setTimeout(() => { soonTimer = undefined; soonAt = Infinity; void scan(); }, ms);
    };
    const onEvent = (event: WatchEvent, file: string | null, only: string | undefined) => {
      if (file && only && file !== only) return;
      if (file && !only && file.startsWith('.')) return; // dot-files are never read (a temp file being written)
      if (file) this.#writes.note(event, file);
      // A name that appeared (moved in) is looked at almost at once; in-place writes are debounced.
      soon(event === 'rename' && file ? Math.min(debounceMs, 10) : debounceMs);
    };
    const arm = async () => {
      if (this.#o.watch === false || signal.aborted) return;
      const st = await stat(this.#path).catch(() => undefined);
      const dir = st?.isDirectory() ? this.#path : dirname(this.#path);
      const dirSt = st?.isDirectory() ? st : await stat(dir).catch(() => undefined);
      if (signal.aborted) return;
      if (!dirSt) { closeWatcher(); return; }
      if (watcher && watchedIno === dirSt.ino) return;
      closeWatcher();
      try {
        const only = st?.isDirectory() ? undefined : basename(this.#path);
        const w = watch(dir, { persistent: false }, (event, file) => onEvent(event, file === null ? null : String(file), only));
        w.on('error', () => { if (watcher === w) closeWatcher(); soon(); });
        watcher = w;
        watchedIno = dirSt.ino;
      } catch (e) {
        this.#once('watch', 'warn', { path: dir, err: (e as Error).message }, 'Cannot watch the manifest path; relying on the periodic relist');
      }
    };
    const scan = async (): Promise<void> => {
      if (scanning) { again = true; return; }
      scanning = true;
      try {
        do {
          again = false;
          await arm();
          const { snapshot, unsettled } = await this.#scan(signal);
          if (signal.aborted) return;
          if (snapshot) emit(snapshot);
          if (unsettled) soon(); // a file still being written: look again shortly
        } while (again && !signal.aborted);
      } catch (e) {
        if (!signal.aborted) this.#o.log.warn({ path: this.#path, err: (e as Error).message }, 'Manifest path relist failed');
      } finally {
        scanning = false;
      }
    };
    const relist = () => {
      relistTimer = this.#clock.setTimeout(() => { void scan().finally(() => { if (!signal.aborted) relist(); }); }, this.#o.checkFrequencyMs);
    };

    return new Promise<void>((done) => {
      const stop = () => { relistTimer?.cancel(); soonTimer?.cancel(); closeWatcher(); done(); };
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
      void scan().finally(() => { if (!signal.aborted) relist(); });
    });
  }

  /** Logs a line once until the condition goes away (#forget). */
  #once(key: string, level: 'debug' | 'info' | 'warn', obj: object, msg: string): void {
    if (this.#said.has(key)) return;
    this.#said.add(key);
    this.#o.log[level](obj, msg);
  }

  /** The candidate files (full paths, in order) and the errors about entries that could not be examined. */
  async #list(): Promise<{ files: string[]; errors: string[] }> {
    const errors: string[] = [];
    let st: Stats;
    try {
      st = await stat(this.#path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !(await lstat(this.#path).catch(() => undefined))) {
        this.#once('missing', 'info', { path: this.#path }, 'path does not exist, ignoring');
        return { files: [], errors };
      }
      errors.push(`${basename(this.#path)}: ${fsProblem(e)}`);
      return { files: [], errors };
    }
    this.#said.delete('missing');
    if (!st.isDirectory()) return { files: st.isFile() ? [this.#path] : [], errors };
    const files: string[] = [];
    const all = await readdir(this.#path).catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return [] as string[]; throw e; });
    const names = all.filter((n) => !n.startsWith('.')).sort();
    for (const name of names) {
      const full = join(this.#path, name);
      let s: Stats;
      try {
        s = await stat(full);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !(await lstat(full).catch(() => undefined))) continue; // deleted meanwhile
        if (EXTENSIONS.has(extname(name).toLowerCase())) errors.push(`${name}: ${fsProblem(e)}`);
        continue;
      }
      const manifestName = EXTENSIONS.has(extname(name).toLowerCase());
      // A directory, FIFO, socket or device named like a manifest is reported (never opened: a FIFO would
      // block, a device never ends); others are only logged, as the kubelet does.
      if (!s.isFile() && manifestName) errors.push(`${name}: ${notRegular(s)}`);
      else if (s.isDirectory()) this.#once(`dir:${full}`, 'info', { path: full }, 'Not recursing into manifest path');
      else if (!s.isFile()) this.#once(`special:${full}`, 'debug', { path: full }, 'Ignoring manifest path that is not a regular file');
      else if (!manifestName) this.#once(`ext:${full}`, 'debug', { path: full }, 'Ignoring file without a .yaml, .yml or .json extension');
      else files.push(full);
    }
    return { files, errors };
  }

  async #read(full: string): Promise<FirstRead> {
    const name = basename(full);
    const max = this.#o.maxBytes ?? DEFAULT_MAX_BYTES;
    let fh: Awaited<ReturnType<typeof open>> | undefined;
    try {
      // O_NONBLOCK: a FIFO put in the file's place after the listing cannot block the open; fstat refuses it.
      fh = await open(full, constants.O_RDONLY | constants.O_NONBLOCK);
      const stats = await fh.stat();
      if (!stats.isFile()) return { full, name, stats, hash: `special:${stats.ino}:${stats.mode}`, error: `${name}: ${notRegular(stats)}` };
      const tooBig = (what: string): FirstRead => ({ full, name, stats, hash: `size:${stats.ino}:${stats.size}:${stats.mtimeMs}`, error: `${name}: file is ${what}, larger than the ${max}-byte limit for a manifest` });
      if (stats.size > max) return tooBig(`${stats.size} bytes`);
      // At most one chunk past the limit, whatever the size says: some files (in /proc) report 0 and go on for
      // gigabytes. Whole 64 KiB chunks: some of them refuse reads of odd sizes.
      const chunks: Buffer[] = [];
      let total = 0;
      while (total <= max) {
        const buf = Buffer.allocUnsafe(1 << 16);
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        chunks.push(buf.subarray(0, bytesRead));
        total += bytesRead;
      }
      if (total > max) return tooBig(`more than ${max} bytes when read (its size on disk says ${stats.size})`);
      const data = Buffer.concat(chunks, total);
      return { full, name, data, stats, hash: sha(data) };
    } catch (e) {
      return { full, name, hash: `error:${(e as NodeJS.ErrnoException).code}`, error: `${name}: ${fsProblem(e)}` };
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }

  #decode(r: FirstRead): FileState {
    if (r.error !== undefined) return { hash: r.hash, pods: [], configMaps: [], secrets: [], objects: [], errors: [r.error] };
    const d = decodeManifest(r.name, r.data!, { maxBytes: this.#o.maxBytes ?? DEFAULT_MAX_BYTES, otherKinds: this.#o.onObjects !== undefined });
    const seenMs = this.#clock.now();
    const pods = d.pods.map(({ pod, origin }) => ({
      pod: stampStaticPod(pod, { source: 'file', uidSource: `file:${r.full}`, nodeName: this.#o.nodeName, seenMs }),
      origin,
    }));
    const objects = d.objects.map((o) => ({ ...o, file: r.name }));
    return { hash: r.hash, pods, configMaps: d.configMaps, secrets: d.secrets, objects, errors: d.errors.map(formatManifestError) };
  }

  /** One relist: returns a snapshot when the result differs from the last one emitted (always the first time). */
  async #scan(signal: AbortSignal): Promise<{ snapshot?: PodSourceSnapshot; unsettled: boolean }> {
    const window = this.#writes.take();
    const { files, errors } = await this.#list();
    const first = await Promise.all(files.map((f) => this.#read(f)));
    let changed = first.filter((r) => this.#accepted.get(r.full)?.hash !== r.hash);
    const settled = new Set<string>();
    // Files that moved in whole (atomic writes) need no settle wait: accept them once the watch events
    // queued while they were read have been seen and none says they were written in place.
    const whole = changed.filter((r) => r.data && r.data.length > 0 && window.movedInWhole(r.name));
    if (whole.length) {
      await afterPendingEvents();
      for (const r of whole) if (window.stillWhole(r.name)) settled.add(r.full);
      changed = changed.filter((r) => !settled.has(r.full));
    }
    if (changed.length) {
      // Wait until the newest change is settleMs old (at least a moment: mtimes can be coarse), then read again.
      const settleMs = this.#o.settleMs ?? 300;
      const newest = Math.max(...changed.map((r) => r.stats?.mtimeMs ?? 0));
      const wait = Math.min(settleMs, Math.max(Math.min(50, settleMs), newest + settleMs - this.#clock.now()));
      await this.#clock.sleep(wait, signal).catch(() => undefined);
      if (signal.aborted) return { unsettled: false };
      const second = await Promise.all(changed.map((r) => this.#read(r.full)));
      changed.forEach((r, i) => {
        const s = second[i]!;
        const same = s.hash === r.hash && s.stats?.size === r.stats?.size && s.stats?.mtimeMs === r.stats?.mtimeMs;
        if (same) settled.add(r.full);
      });
    }
    let unsettled = false;
    const states: [string, FileState][] = [];
    for (const r of first) {
      const prev = this.#accepted.get(r.full);
      if (prev && prev.hash === r.hash) states.push([r.full, prev]);
      else if (settled.has(r.full)) states.push([r.full, this.#decode(r)]);
      else {
        unsettled = true; // still changing: keep what was accepted before, if anything
        if (prev) states.push([r.full, prev]);
      }
    }
    this.#accepted.clear();
    for (const [f, s] of states) this.#accepted.set(f, s);

    const snapshot = assemble(states, errors);
    const key = JSON.stringify([states.map(([f, s]) => [f, s.hash]), snapshot.errors]);
    if (key === this.#lastKey) return { unsettled };
    this.#lastKey = key;
    this.#o.onObjects?.(states.flatMap(([, s]) => s.objects));
    return { snapshot, unsettled };
  }
}

/** Files in order → one snapshot; a pod (or ConfigMap, Secret) name used again later is rejected by name. */
function assemble(states: readonly [string, FileState][], listErrors: readonly string[]): PodSourceSnapshot {
  const pods: SourcePod[] = [];
  const configMaps: ConfigMap[] = [];
  const secrets: Secret[] = [];
  const errors = [...listErrors];
  const podNames = new Map<string, string>();
  const uids = new Map<string, string>();
  const objNames = new Map<string, string>();
  for (const [full, s] of states) {
    errors.push(...s.errors);
    for (const p of s.pods) {
      const key = objectKey(p.pod);
      const uid = p.pod.metadata!.uid!;
      const earlier = podNames.get(key);
      const sameUid = uids.get(uid);
      if (earlier !== undefined) {
        errors.push(`${p.origin}: metadata.name: Duplicate value: "${key}": a pod of that namespace/name is already defined in ${earlier}; this one is ignored`);
      } else if (sameUid !== undefined) {
        errors.push(`${p.origin}: metadata.uid: Duplicate value: "${uid}": already used by the pod in ${sameUid}; this one is ignored`);
      } else {
        podNames.set(key, p.origin);
        uids.set(uid, p.origin);
        pods.push(p);
      }
    }
    const file = basename(full);
    for (const [kind, list, out] of [['ConfigMap', s.configMaps, configMaps], ['Secret', s.secrets, secrets]] as const) {
      for (const o of list) {
        const key = `${kind} ${objectKey(o)}`;
        const earlier = objNames.get(key);
        if (earlier !== undefined) errors.push(`${file}: ${kind} "${objectKey(o)}": Duplicate value: already defined in ${earlier}; this one is ignored`);
        else { objNames.set(key, file); (out as (ConfigMap | Secret)[]).push(o); }
      }
    }
  }
  // File names are hostile too (a newline in a name must not forge a log line): one bounded line each.
  return { source: 'file', pods, configMaps, secrets, errors: errors.map((e) => boundedLine(e, 1200)) };
}
