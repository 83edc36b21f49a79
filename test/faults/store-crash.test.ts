// Faults: kill -9 of a process writing to the object store (control-plane/store, compiled dist/) at random
// moments, several rounds on the same directory. After each kill the store is reopened here and:
// - every acknowledged write is there (or the one write in flight for that name after it, never older);
// - nothing is torn: every object parses and its payload matches its sha256;
// - the resourceVersion counter is at least the last acknowledged one and the next write goes above it.
import { spawn } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type KubeObject } from '../../control-plane/store/index.js';

const REPO = join(import.meta.dirname, '..', '..');
const WRITER = join(REPO, 'test', 'faults', 'store-writer.mjs');
const DIST = join(REPO, 'dist', 'control-plane', 'store', 'index.js');

interface Payload { seq: string; blob: string; sha: string }
type Cm = KubeObject & { data: Payload };
/** What a name may hold after a kill: the acknowledged state, or the state of the write in flight. */
interface Allowed { acked: string | null; inFlight?: string | null }

interface Round { lines: string[]; code: number | null; signal: NodeJS.Signals | null }

/** Runs the writer until it acknowledged at least `minAcks` writes, waits a random moment more, kills it. */
function runAndKill(dir: string, round: number, minAcks: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!armed && (out.match(/^ACK /gm)?.length ?? 0) >= minAcks) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), randomInt(0, 40));
      }
    });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (err.trim()) out += `\nSTDERR ${err}`;
      // The last line may have been cut by the kill: keep only complete lines.
      resolve({ lines: out.split('\n').slice(0, -1), code, signal });
    });
  });
}

const seqOf = (o: KubeObject | undefined): string | null => (o ? (o as Cm).data.seq : null);

describe('kill -9 during a loop of store writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-store-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every acknowledged write survives, nothing is torn, resourceVersions never go back (6 rounds)', async () => {
    expect(existsSync(DIST), `${DIST} missing: build first (npx tsc -p tsconfig.json; npm test does)`).toBe(true);
    const known = new Map<string, string | null>(); // name → seq the store held after the previous round
    let lastAckedRv = 0;
    for (let round = 1; round <= 6; round++) {
      const { lines, signal } = await runAndKill(dir, round, randomInt(5, 120));
      expect(signal, lines.slice(-3).join('\n')).toBe('SIGKILL');
      const opened = Number(/^OPEN (\d+)$/.exec(lines[0] ?? '')?.[1]);
      expect(opened).toBeGreaterThanOrEqual(lastAckedRv);
      const allowed = new Map<string, Allowed>([...known].map(([n, s]) => [n, { acked: s }]));
      const ackedRvs: number[] = [];
      for (const line of lines.slice(1)) {
        const [kind, op, name, a, b] = line.split(' ');
        const seq = op === 'delete' ? null : (kind === 'ACK' ? b! : a!);
        const entry = allowed.get(name!) ?? { acked: null };
        if (kind === 'BEGIN') entry.inFlight = seq;
        if (kind === 'ACK') {
          ackedRvs.push(Number(a));
          entry.acked = seq;
          delete entry.inFlight;
        }
        allowed.set(name!, entry);
      }
      expect(ackedRvs.length).toBeGreaterThanOrEqual(5);
      // Every version acknowledged in this round lies above every one handed out before the kill.
      expect(Math.min(...ackedRvs)).toBeGreaterThan(lastAckedRv);
      lastAckedRv = Math.max(...ackedRvs);

      const store = await openStore({ dir, controllers: 'manual' });
      expect(store.resourceVersion).toBeGreaterThanOrEqual(lastAckedRv);
      const found = new Map(store.list('configmaps', { namespace: 'default' }).items.map((o) => [o.metadata!.name!, o]));
      const bad: string[] = [];
      for (const [name, want] of allowed) {
        const got = seqOf(found.get(name));
        const ok = got === want.acked || ('inFlight' in want && got === want.inFlight);
        if (!ok) bad.push(`${name}: store has ${got}, acknowledged ${want.acked}, in flight ${want.inFlight}`);
      }
      expect(bad).toEqual([]);
      for (const o of found.values()) {
        const d = (o as Cm).data;
        expect(createHash('sha256').update(d.blob).digest('hex'), `${o.metadata!.name} torn`).toBe(d.sha);
        expect(Number(o.metadata!.resourceVersion)).toBeLessThanOrEqual(store.resourceVersion);
      }
      const probe = await store.create('secrets', { metadata: { generateName: 'probe-', namespace: 'default' } });
      expect(Number(probe.metadata!.resourceVersion)).toBeGreaterThan(lastAckedRv);
      lastAckedRv = Number(probe.metadata!.resourceVersion);
      known.clear();
      for (const [name] of allowed) known.set(name, seqOf(found.get(name)));
      await store.close();
    }
  });
});
