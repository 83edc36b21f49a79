// control-plane/store/bench.ts — measures the object store with 10,000 ConfigMaps on disk:
// write time (100 writes in flight, group-committed), per-write latency one at a time, write → watch event
// latency, list time (objects and JSON), watch-from-0 time, reopen (restart) time, and RSS.
//
// Run: `npx tsc -p tsconfig.json && node dist/control-plane/store/bench.js [--count N] [--dir DIR] [--json]`.
// Uses a fresh temporary directory unless --dir is given; prints one line per figure.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from './index.js';
import type { ObjectStore } from './store.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, dir: { type: 'string' }, json: { type: 'boolean', default: false } } });
const COUNT = Number(values.count);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'mk-store-bench-'));
const results: Record<string, number> = {};

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const mib = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

function report(name: string, value: number, unit: string): void {
  results[`${name} (${unit})`] = Math.round(value * 100) / 100;
  if (!values.json) console.log(`${name.padEnd(44)} ${String(Math.round(value * 100) / 100).padStart(10)} ${unit}`);
}

/** A ConfigMap of about 1 KiB, as a small application config. */
const configMap = (i: number) => ({
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: `cm-${String(i).padStart(5, '0')}`, namespace: 'default', labels: { app: `app-${i % 50}`, tier: i % 2 ? 'web' : 'db' } },
  data: { 'settings.yaml': `replicas: ${i % 7}\nendpoint: http://svc-${i}.default.svc:8080\n${'# padding\n'.repeat(90)}` },
});

async function writeAll(store: ObjectStore): Promise<void> {
  const inFlight = 100;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < COUNT; i += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, COUNT - i) }, (_, j) => store.create('configmaps', configMap(i + j))));
  }
  const t = ms(t0);
  report(`write ${COUNT} ConfigMaps, 100 in flight`, t, 'ms');
  report('  = writes per second', (COUNT / t) * 1000, '/s');
}

async function latency(store: ObjectStore): Promise<void> {
  const n = Math.min(500, COUNT);
  const w = store.watch('configmaps', { resourceVersion: String(store.resourceVersion), labelSelector: 'tier=probe' });
  const seen = new Map<string, bigint>();
  const reader = (async () => { for await (const ev of w) seen.set(ev.object.metadata!.name!, process.hrtime.bigint()); })();
  const writes: number[] = [];
  const toEvent: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = `probe-${i}`;
    const t0 = process.hrtime.bigint();
    await store.create('configmaps', { metadata: { name, namespace: 'default', labels: { tier: 'probe' } }, data: { i: String(i) } });
    writes.push(ms(t0));
    await new Promise((r) => setImmediate(r));
    toEvent.push(Number(seen.get(name)! - t0) / 1e6);
  }
  w.stop();
  await reader;
  report('one write at a time, p50 (fsync each)', pct(writes, 50), 'ms');
  report('one write at a time, p99', pct(writes, 99), 'ms');
  report('write → event at a watcher, p99', pct(toEvent, 99), 'ms');
  await store.deleteCollection('configmaps', { labelSelector: 'tier=probe' });
}

function list(store: ObjectStore): void {
  let t0 = process.hrtime.bigint();
  const all = store.list('configmaps', { namespace: 'default' });
  report(`list ${all.items.length} (objects)`, ms(t0), 'ms');
  t0 = process.hrtime.bigint();
  const body = JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: all.resourceVersion }, items: all.items });
  report(`  + JSON body (${mib(body.length)} MiB)`, ms(t0), 'ms');
  t0 = process.hrtime.bigint();
  const some = store.list('configmaps', { labelSelector: 'app=app-7,tier in (web,db)' });
  report(`list with label selector (${some.items.length} match)`, ms(t0), 'ms');
}

async function watchFromZero(store: ObjectStore): Promise<void> {
  const t0 = process.hrtime.bigint();
  const w = store.watch('configmaps', { resourceVersion: '0' });
  let n = 0;
  while (w.pending > 0) { await w.next(); n++; }
  w.stop();
  report(`watch from 0 (${n} ADDED events)`, ms(t0), 'ms');
}

async function main(): Promise<void> {
  const rss0 = process.memoryUsage().rss;
  let store = await openStore({ dir });
  await writeAll(store);
  await latency(store);
  list(store);
  await watchFromZero(store);
  report('RSS after writing', mib(process.memoryUsage().rss), 'MiB');
  await store.close();
  report('database size (store.db + WAL)', mib(fileSize('store.db') + fileSize('store.db-wal')), 'MiB');
  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  store = await openStore({ dir });
  report(`reopen (restart) with ${store.size} objects`, ms(t0), 'ms');
  report('RSS after reopen (same process)', mib(process.memoryUsage().rss), 'MiB');
  report('RSS at start', mib(rss0), 'MiB');
  await store.close();
  if (values.json) console.log(JSON.stringify(results, null, 2));
  if (!values.dir) rmSync(dir, { recursive: true, force: true });
}

function fileSize(name: string): number {
  try { return statSync(join(dir, name)).size; } catch { return 0; }
}

await main();
