// agent/kuberuntime/atomic-writer.ts — writes a volume's files so that a reader in a running container
// never sees a half-updated set, the way the kubelet's AtomicWriter does for configMap, secret,
// downwardAPI and projected volumes.
//
// Layout inside the volume directory:
//   ..2024_05_01_12_00_00.123456789/   the current payload (files and sub-directories)
//   ..data -> ..2024_05_01_12_00_00.123456789
//   <key>  -> ..data/<key>             one symlink per top-level entry of the payload
// An update writes a new timestamped directory, points `..data_tmp` at it and renames that over `..data`
// (one atomic rename), fixes the top-level symlinks, then removes the old directory. A payload equal to the
// current one writes nothing. The volume directory itself is never replaced, so running containers keep
// seeing it through their bind mounts.
import { randomBytes } from 'node:crypto';
import {
  chmodSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

export interface FileProjection {
  readonly data: Buffer;
  /** Permission bits (e.g. 0o644). */
  readonly mode: number;
}

/** Relative path → file. */
export type Payload = ReadonlyMap<string, FileProjection>;

export interface WriteOptions {
  /** fsGroup: files and directories get this group, files g+r, directories g+rx and setgid. */
  readonly gid?: number;
}

const DATA = '..data';
const DATA_TMP = '..data_tmp';

/** Throws on a path the kubelet refuses: absolute, with `..` elements, or starting with `..`. */
export function validatePayloadPath(p: string): void {
  if (!p || p.startsWith('/') || p.split('/').includes('..') || p.startsWith('..')) throw new Error(`invalid path in volume payload: "${p}"`);
}

function finalMode(mode: number, o: WriteOptions): number {
  return (o.gid !== undefined ? mode | 0o440 : mode) & 0o7777;
}

function stamp(): string {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const nanos = `${p(d.getUTCMilliseconds(), 3)}${p(randomBytes(3).readUIntBE(0, 3) % 1_000_000, 6)}`;
  return `..${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}.${nanos}`;
}

/** The files under `dir` (recursively), relative path → content and mode. */
function readTree(dir: string, prefix = '', out = new Map<string, FileProjection>()): Map<string, FileProjection> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) readTree(join(dir, e.name), rel, out);
    else if (e.isFile()) out.set(rel, { data: readFileSync(join(dir, e.name)), mode: statSync(join(dir, e.name)).mode & 0o7777 });
  }
  return out;
}

function samePayload(current: Map<string, FileProjection>, payload: Payload, o: WriteOptions): boolean {
  if (current.size !== payload.size) return false;
  for (const [p, f] of payload) {
    const c = current.get(p);
    if (!c || c.mode !== finalMode(f.mode, o) || !c.data.equals(f.data)) return false;
  }
  return true;
}

const topLevel = (paths: Iterable<string>): Set<string> => new Set([...paths].map((p) => p.split('/')[0]!));

function own(path: string, o: WriteOptions, dir: boolean): void {
  if (o.gid === undefined) return;
  try { lchownSync(path, -1, o.gid); } catch { /* not permitted (agent not root): keep the agent's group */ }
  if (dir) chmodSync(path, (statSync(path).mode & 0o7777) | 0o2550);
}

/** Writes `payload` into the volume directory `dir` atomically; returns false when nothing changed. */
export function writeAtomically(dir: string, payload: Payload, o: WriteOptions = {}): boolean {
  for (const p of payload.keys()) validatePayloadPath(p);
  mkdirSync(dir, { recursive: true });
  const dataLink = join(dir, DATA);
  let oldDir: string | undefined;
  try { oldDir = readlinkSync(dataLink); } catch { oldDir = undefined; }
  const oldFiles = oldDir && existsSync(join(dir, oldDir)) ? readTree(join(dir, oldDir)) : undefined;
  const wanted = topLevel(payload.keys());
  if (oldFiles && samePayload(oldFiles, payload, o) && [...wanted].every((t) => isOurLink(dir, t))) return false;

  const tsName = stamp();
  const tsDir = join(dir, tsName);
  mkdirSync(tsDir, { mode: 0o755 });
  chmodSync(tsDir, 0o755);
  own(tsDir, o, true);
  for (const [rel, f] of payload) {
    const file = join(tsDir, rel);
    const parent = dirname(file);
    if (!existsSync(parent)) {
      const created: string[] = [];
      for (let d = parent; d !== tsDir && !existsSync(d); d = dirname(d)) created.push(d);
      mkdirSync(parent, { recursive: true, mode: 0o755 });
      for (const d of created) own(d, o, true);
    }
    writeFileSync(file, f.data);
    own(file, o, false);
    chmodSync(file, finalMode(f.mode, o));
  }
  // The swap: one rename makes the whole new set visible.
  rmSync(join(dir, DATA_TMP), { force: true });
  symlinkSync(tsName, join(dir, DATA_TMP));
  renameSync(join(dir, DATA_TMP), dataLink);
  for (const t of wanted) {
    if (isOurLink(dir, t)) continue;
    rmSync(join(dir, t), { recursive: true, force: true });
    symlinkSync(join(DATA, t), join(dir, t));
  }
  for (const t of oldFiles ? topLevel(oldFiles.keys()) : []) {
    if (!wanted.has(t) && isOurLink(dir, t)) unlinkSync(join(dir, t));
  }
  // The old payload (and any left by an interrupted write) goes last.
  for (const e of readdirSync(dir)) {
    if (e.startsWith('..') && e !== DATA && e !== tsName) rmSync(join(dir, e), { recursive: true, force: true });
  }
  return true;
}

function isOurLink(dir: string, name: string): boolean {
  try {
    return lstatSync(join(dir, name)).isSymbolicLink() && readlinkSync(join(dir, name)) === join(DATA, name);
  } catch {
    return false;
  }
}

/** Whether `dir` holds a payload written by writeAtomically. */
export function hasPayload(dir: string): boolean {
  try { return lstatSync(join(dir, DATA)).isSymbolicLink(); } catch { return false; }
}
