// Unit tests of watches (client/http.ts watch, client/watch-stream.ts): the REAL embedded API server's stream
// (ADDED, MODIFIED, DELETED, a BOOKMARK, 410 as an ERROR event, a refused watch thrown as ApiError, abort and
// close() end the iteration quietly), and a scripted server that splits objects across chunks and packs
// several per chunk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, CONFIGMAPS, HttpKubeClient, jsonLines, type KubeObject, type WatchEvent } from '../../../client/index.js';
import { configMap, fakeServer, startPlane, type Plane } from './helpers.js';

let plane: Plane;
beforeAll(async () => { plane = await startPlane({ bookmarkIntervalMs: 50, historySize: 3 }); });
afterAll(async () => { await plane.close(); });

/** Collects a watch's events until `stop(events)` says so, then aborts it; resolves when the iteration ended. */
async function collect(it: (signal: AbortSignal) => AsyncIterable<WatchEvent>, stop: (evs: WatchEvent[]) => boolean): Promise<WatchEvent[]> {
  const ac = new AbortController();
  const events: WatchEvent[] = [];
  for await (const ev of it(ac.signal)) {
    events.push(ev);
    if (stop(events)) ac.abort();
  }
  return events;
}

describe('watch against the embedded API server', () => {
  it('delivers ADDED, MODIFIED, DELETED and a bookmark; abort ends the iteration quietly', async () => {
    const c = plane.client;
    const from = (await c.list(CONFIGMAPS, { namespace: 'default' })).metadata.resourceVersion;
    const done = collect((signal) => c.watch(CONFIGMAPS, { namespace: 'default', resourceVersion: from, allowWatchBookmarks: true, signal }),
      (evs) => evs.some((e) => e.type === 'DELETED') && evs[evs.length - 1]!.type === 'BOOKMARK');
    const made = await c.create<KubeObject>(CONFIGMAPS, 'default', configMap('w1', { v: '1' }));
    await c.patch(CONFIGMAPS, 'default', 'w1', 'merge', { data: { v: '2' } });
    await c.delete(CONFIGMAPS, 'default', 'w1');
    const events = await done;
    const changes = events.filter((e) => e.type !== 'BOOKMARK');
    expect(changes.map((e) => `${e.type} ${e.object.metadata?.name} ${(e.object as { data?: { v: string } }).data?.v}`)).toEqual(['ADDED w1 1', 'MODIFIED w1 2', 'DELETED w1 2']);
    expect(changes[0]!.object.metadata?.uid).toBe(made.metadata?.uid);
    const bookmark = events[events.length - 1]!;
    expect(Number(bookmark.object.metadata?.resourceVersion)).toBeGreaterThanOrEqual(Number(changes[2]!.object.metadata?.resourceVersion));
  });

  it('a resourceVersion older than the history is one ERROR event with a 410 Expired Status', async () => {
    const c = plane.client;
    const old = (await c.create<KubeObject>(CONFIGMAPS, 'default', configMap('old-0'))).metadata!.resourceVersion!;
    for (let i = 1; i <= 4; i++) await c.create(CONFIGMAPS, 'default', configMap(`old-${i}`));
    const events: WatchEvent[] = [];
    for await (const ev of c.watch(CONFIGMAPS, { namespace: 'default', resourceVersion: old })) events.push(ev);
    expect(events).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }) }]);
  });

  it('a watch the server refuses throws ApiError from the iteration', async () => {
    const refused = (async () => {
      for await (const _ of plane.client.watch(CONFIGMAPS, { namespace: 'default', labelSelector: 'a in in' })) { /* never */ }
    })();
    const e = await refused.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe(400);
  });

  it('an abort before any event ends the iteration with no event and no error', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const events: WatchEvent[] = [];
    for await (const ev of plane.client.watch(CONFIGMAPS, { namespace: 'kube-public', signal: ac.signal })) events.push(ev);
    expect(events).toEqual([]);
  });

  it('close() ends the open watches quietly and resolves', async () => {
    const c = new HttpKubeClient({ server: plane.api.url });
    const events: WatchEvent[] = [];
    const iterating = (async () => { for await (const ev of c.watch(CONFIGMAPS, { namespace: 'kube-public' })) events.push(ev); })();
    await c.list(CONFIGMAPS, { namespace: 'kube-public' }); // the watch has had time to open
    await c.close();
    await iterating;
    expect(events).toEqual([]);
  });
});

describe('the JSON-lines stream', () => {
  const line = (name: string) => `${JSON.stringify({ type: 'ADDED', object: { metadata: { name } } })}\n`;

  it('reassembles objects split across chunks (even inside a UTF-8 character) and splits several per chunk', async () => {
    const bytes = Buffer.from(line('α-1') + line('β-2') + line('γ-3') + line('δ-4'));
    // Cut after 5 bytes, inside "β" (2 bytes), and after the start of the last line (so one chunk holds the
    // end of the second line, the whole third and the start of the fourth).
    const cutInBeta = bytes.indexOf(Buffer.from('β')) + 1;
    const cutInLast = bytes.indexOf(Buffer.from('γ-3')) + 15;
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, cutInBeta), bytes.subarray(cutInBeta, cutInLast), bytes.subarray(cutInLast)];
    const srv = await fakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      chunks.forEach((chunk, i) => setTimeout(() => { res.write(chunk); if (i === chunks.length - 1) res.end(); }, 10 * (i + 1)));
    });
    const c = new HttpKubeClient({ server: srv.url });
    try {
      const names: string[] = [];
      for await (const ev of c.watch<KubeObject>(CONFIGMAPS, { namespace: 'x' })) names.push(ev.object.metadata!.name!);
      expect(names).toEqual(['α-1', 'β-2', 'γ-3', 'δ-4']);
      expect(srv.requests[0]!.url).toBe('/api/v1/namespaces/x/configmaps?watch=true');
    } finally {
      await c.close();
      await srv.close();
    }
  });

  it('jsonLines: blank lines skipped, a last line without a newline kept, a broken line is an ApiError', async () => {
    async function* of(...parts: string[]) { for (const p of parts) yield new TextEncoder().encode(p); }
    const values: unknown[] = [];
    for await (const v of jsonLines(of('{"a":', '1}\n\n{"b":2}\n{"c"', ':3}'))) values.push(v);
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    const broken = (async () => { for await (const _ of jsonLines(of('{"a":1}\n{nope}\n'))) { /* drain */ } })();
    expect(await broken.then(() => undefined, (e: unknown) => e)).toBeInstanceOf(ApiError);
  });

  it('the watch query carries watch, resourceVersion, selectors, allowWatchBookmarks and timeoutSeconds', async () => {
    const srv = await fakeServer((_req, res) => { res.writeHead(200).end(); });
    const c = new HttpKubeClient({ server: srv.url });
    try {
      for await (const _ of c.watch(CONFIGMAPS, { labelSelector: 'a=b', fieldSelector: 'metadata.name=x', resourceVersion: '42', allowWatchBookmarks: true, timeoutSeconds: 321 })) { /* none */ }
      expect(srv.requests[0]!.url).toBe('/api/v1/configmaps?labelSelector=a%3Db&fieldSelector=metadata.name%3Dx&resourceVersion=42&watch=true&allowWatchBookmarks=true&timeoutSeconds=321');
    } finally {
      await c.close();
      await srv.close();
    }
  });
});
