// Unit tests for agent/timeline/lifecycle-record.ts: bounded memory on long-lived, often-probed pods and on
// pods that come and go (the soak found both growing).
import { describe, expect, it } from 'vitest';
import { LifecycleRecord, MAX_PROBE_ENTRIES_PER_POD } from '../../../agent/timeline/lifecycle-record.js';

describe('LifecycleRecord', () => {
  it('keeps the newest probe attempts of a pod, and every other entry', () => {
    const r = new LifecycleRecord();
    r.record({ time: 0, podUID: 'a', kind: 'sandbox' });
    r.record({ time: 1, podUID: 'a', kind: 'start', container: 'web' });
    for (let i = 0; i < MAX_PROBE_ENTRIES_PER_POD + 250; i++) r.record({ time: 10 + i, podUID: 'a', kind: 'probe', container: 'web' });
    r.record({ time: 99_999, podUID: 'a', kind: 'exit', container: 'web' });
    const e = r.entries('a');
    const probes = e.filter((x) => x.kind === 'probe');
    expect(probes).toHaveLength(MAX_PROBE_ENTRIES_PER_POD);
    expect(probes[0]!.time).toBe(10 + 250);
    expect(e.filter((x) => x.kind !== 'probe').map((x) => x.kind)).toEqual(['sandbox', 'start', 'exit']);
  });

  it('a finished pod replaced by a new one of the same name takes its record with it; sweep drops strays', () => {
    const r = new LifecycleRecord();
    r.record({ time: 0, podUID: 'old', kind: 'sandbox' });
    r.keepFinished('default', 'web', 'old', {});
    r.record({ time: 1, podUID: 'new', kind: 'sandbox' });
    r.keepFinished('default', 'web', 'new', {});
    expect(r.entries('old')).toEqual([]);
    expect(r.entries('new')).toHaveLength(1);
    expect(r.finished('default', 'web')?.uid).toBe('new');
    r.record({ time: 2, podUID: 'stray', kind: 'exit' }); // a late write for a pod already gone
    r.record({ time: 2, podUID: 'live', kind: 'start' });
    r.sweep((uid) => uid === 'live');
    expect(r.entries('stray')).toEqual([]);
    expect(r.entries('live')).toHaveLength(1);
    expect(r.entries('new')).toHaveLength(1);
  });

  it('keeps at most 100 finished pods, dropping the oldest with their records', () => {
    const r = new LifecycleRecord();
    for (let i = 0; i < 150; i++) {
      r.record({ time: i, podUID: `u${i}`, kind: 'sandbox' });
      r.keepFinished('default', `p${i}`, `u${i}`, {});
    }
    expect(r.finished('default', 'p0')).toBeUndefined();
    expect(r.entries('u0')).toEqual([]);
    expect(r.finished('default', 'p149')?.uid).toBe('u149');
    expect(r.entries('u149')).toHaveLength(1);
  });
});
