// The workload timeline's renderers on the recorded rolling update: the chart (controller rows on top, a row
// per pod, widths, colour only when asked, the steps in order) and the Chrome trace (a controller process
// with a counter per ReplicaSet, a process per pod).
import { describe, expect, it } from 'vitest';
import { buildWorkloadModel } from '../../../agent/timeline/workload-model.js';
import { renderWorkloadText, workloadSteps } from '../../../agent/timeline/render-workload.js';
import { renderWorkloadTrace } from '../../../agent/timeline/render-workload-trace.js';
import { T } from './fixtures.js';
import { rollout } from './workload-fixtures.js';

const model = buildWorkloadModel(rollout(), { now: T + 14_000 });

describe('renderWorkloadText', () => {
  const text = renderWorkloadText(model, { width: 100 });
  const lines = text.split('\n');
  const row = (label: string) => lines.find((l) => l.startsWith(label))!;
  const x = lines.find((l) => l.includes('├'))!.indexOf('├'); // where the chart begins

  it('draws the controller rows above a row per pod, in creation order', () => {
    expect(lines[0]).toBe('deployment default/web  ·  revision 2  ·  2/2 ready, 2 up-to-date, Available=True (MinimumReplicasA…');
    const labels = lines.filter((l) => /^(deploy\/|  rs\/|  pods|  web-)/.test(l)).map((l) => l.slice(0, x).trim());
    expect(labels).toEqual(['deploy/web', 'rs/web-aaa r1', 'rs/web-bbb r2', 'pods +/-', 'web-aaa-a1', 'web-aaa-a2', 'web-bbb-b1', 'web-bbb-b2']);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(100);
    expect(text).not.toContain('\x1b[');
  });

  it('shows each scaling step as the new count, and pods created and deleted', () => {
    const counts = (label: string) => row(label).slice(x).replace(/[^0-9]/g, '');
    expect(counts('  rs/web-aaa r1')).toBe('210');
    expect(counts('  rs/web-bbb r2')).toBe('12');
    const pm = row('  pods +/-').slice(x).replace(/ /g, '');
    expect(pm).toBe('+++-+-');
  });

  it('draws a pod Ready then terminating then gone, and a new one Ready to the end', () => {
    const a1 = row('  web-aaa-a1').slice(x);
    expect(a1.trim()).toMatch(/^·+█+~+X$/);
    expect(row('  web-bbb-b1').slice(x).trimEnd()).toMatch(/█$/);
    expect(a1.indexOf('X')).toBeGreaterThan(row('  web-bbb-b1').slice(x).indexOf('█'));
  });

  it('lists the steps in time order, the controller\'s "Created pod" instead of the pod\'s own', () => {
    const steps = workloadSteps(model);
    expect(steps.map((s) => s.time)).toEqual([...steps.map((s) => s.time)].sort((a, b) => a - b));
    expect(steps.filter((s) => s.text === 'created')).toEqual([]);
    expect(text).toContain('   10.600  deploy/web  Scaled down replica set web-aaa from 2 to 1');
    expect(text).toContain('   11.220  web-aaa-a1  gone');
  });

  it('uses colour only when asked', () => {
    expect(renderWorkloadText(model, { width: 100, color: true })).toContain('\x1b[32m');
    expect(renderWorkloadText(model, { width: 100, steps: 0 })).not.toContain('Steps');
  });
});

describe('renderWorkloadTrace', () => {
  const trace = renderWorkloadTrace(model);
  it('has a controller process with a replica counter per ReplicaSet and one process per pod', () => {
    const names = trace.traceEvents.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args!.name]);
    expect(names).toEqual([[1, 'deployment/web (controller)'], [2, 'pod web-aaa-a1'], [3, 'pod web-aaa-a2'], [4, 'pod web-bbb-b1'], [5, 'pod web-bbb-b2']]);
    const counters = trace.traceEvents.filter((e) => e.ph === 'C').map((e) => `${e.name}=${e.args!.replicas}@${e.ts}`);
    expect(counters).toEqual(['replicas web-aaa=2@10000', 'replicas web-aaa=1@10600000', 'replicas web-aaa=0@11300000', 'replicas web-bbb=1@10010000', 'replicas web-bbb=2@10700000']);
    expect(trace.traceEvents.filter((e) => e.pid === 2 && e.ph === 'X').map((e) => e.name)).toEqual(['pending', 'starting', 'ready', 'terminating']);
    expect(trace.otherData).toMatchObject({ workload: 'default/deployment/web', originMs: T });
  });
});
