// Hostile input, property-based: whatever bytes a manifest file holds, decodeManifest never throws, returns
// a bounded number of bounded error lines naming the file, takes bounded time, and its result is never
// larger than a small multiple of its input (no alias or nesting expansion reaches memory).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeManifest, formatManifestError } from '../../agent/sources/manifest.js';
import { aliasBomb, aliasBombs, anyHostile, bigInputs, deepNesting, mutatedPod, randomShapes, randomText, tokenSoup, type Case } from './arbitraries.js';

/** The longest error line accepted: enough for a field path and a message, never a whole input. */
const MAX_ERROR_LINE = 1024;
const MAX_ERRORS = 101; // 100 and the "N more errors not shown" line

function check(c: Case): void {
  const size = typeof c.data === 'string' ? Buffer.byteLength(c.data) : c.data.length;
  // CPU time, not wall time: the suite runs beside other tests on a busy machine.
  const cpu0 = process.cpuUsage();
  let out: ReturnType<typeof decodeManifest>;
  try {
    out = decodeManifest(c.name, c.data);
  } catch (e) {
    throw new Error(`decodeManifest threw on ${c.name} (${size} bytes): ${(e as Error).stack}`);
  }
  const used = process.cpuUsage(cpu0);
  const ms = (used.user + used.system) / 1000;
  expect(ms, `took ${Math.round(ms)} ms of CPU on ${size} bytes`).toBeLessThan(3000);
  expect(out.errors.length).toBeLessThanOrEqual(MAX_ERRORS);
  for (const e of out.errors) {
    const line = formatManifestError(e);
    expect(line.startsWith(c.name), line.slice(0, 200)).toBe(true);
    expect(line.length, line.slice(0, 200)).toBeLessThanOrEqual(MAX_ERROR_LINE);
    expect(line).not.toMatch(/\n|\bat .*\(.*:\d+:\d+\)/); // one line, no stack trace
  }
  for (const { pod, origin } of out.pods) {
    expect(typeof pod.metadata?.name).toBe('string');
    expect(Array.isArray(pod.spec?.containers)).toBe(true);
    expect(origin.startsWith(c.name)).toBe(true);
  }
  const resultSize = JSON.stringify(out).length;
  expect(resultSize, 'result no bigger than a small multiple of the input').toBeLessThanOrEqual(4 * size + 200_000);
}

const runs = (n: number) => ({ numRuns: Number(process.env.MK_FUZZ_RUNS ?? n) });
/** One case per macrotask: the test worker's event loop stays free to talk to vitest during long runs. */
const prop = (arb: fc.Arbitrary<Case>) => fc.asyncProperty(arb, async (c) => { await new Promise((r) => setImmediate(r)); check(c); });

describe('decodeManifest on generated hostile input', () => {
  it('YAML token soup', async () => { await fc.assert(prop(tokenSoup), runs(400)); });
  it('random unicode, ASCII and binary', async () => { await fc.assert(prop(randomText), runs(300)); });
  it('random JSON/YAML shapes', async () => { await fc.assert(prop(randomShapes), runs(300)); });
  it('mutations of a valid pod: wrong types, huge strings, deep nesting, unknown fields, bad names', async () => {
    await fc.assert(prop(mutatedPod), runs(300));
  });
  it('alias bombs of every size are refused without expanding', async () => { await fc.assert(prop(aliasBombs), runs(100)); });
  it('deep nesting by indentation, brackets, sequences and JSON', async () => { await fc.assert(prop(deepNesting), runs(40)); });
  it('huge keys, values, names and many documents or keys', async () => { await fc.assert(prop(bigInputs), runs(25)); });
  it('all of it mixed', async () => { await fc.assert(prop(anyHostile), runs(200)); });

  it('a 9^9 alias bomb (list or mapping) is refused by name, fast, with the file in the message', () => {
    for (const merge of [false, true]) {
      const cpu0 = process.cpuUsage();
      const out = decodeManifest('lol.yaml', aliasBomb(9, 9, merge));
      const used = process.cpuUsage(cpu0);
      expect((used.user + used.system) / 1000).toBeLessThan(1000);
      expect(out.pods).toEqual([]);
      expect(out.errors.map(formatManifestError).join('\n')).toMatch(/^lol\.yaml\[0\]: .*alias/m);
    }
  });

  it('memory stays bounded over many bombs: the heap does not grow with the input count', async () => {
    const heap = () => process.memoryUsage().heapUsed;
    const bombs = fc.sample(fc.oneof(aliasBombs, deepNesting, bigInputs), { numRuns: 60, seed: 7 });
    for (const c of bombs.slice(0, 10)) decodeManifest(c.name, c.data); // warm up
    const before = heap();
    let peak = before;
    for (const c of bombs) { await new Promise((r) => setImmediate(r)); decodeManifest(c.name, c.data); peak = Math.max(peak, heap()); }
    expect(peak - before).toBeLessThan(400 * 1024 * 1024);
  });
});
