// agent/cli/commands/timeline-workload.ts — `mini-kubelet timeline KIND/NAME` (deployment/web, job/pi …):
// reads the workload's tree, Events and pod records (timeline/workload-fetch.ts), builds the workload model
// and draws it as text, JSON or a Chrome trace; `--follow` re-reads every second and redraws (clearing the
// screen only on a TTY) until interrupted or the workload is deleted.
import { buildWorkloadModel, type WorkloadModel } from '../../timeline/workload-model.js';
import { renderWorkloadText } from '../../timeline/render-workload.js';
import { renderWorkloadTraceJSON } from '../../timeline/render-workload-trace.js';
import { fetchWorkload, FetchError, type WorkloadKind } from '../../timeline/workload-fetch.js';
import { followLoop } from './timeline-follow.js';

export interface WorkloadRun {
  readonly server: string;
  readonly namespace: string;
  readonly target: { workload: WorkloadKind; name: string };
  readonly output: 'text' | 'json' | 'trace';
  readonly follow: boolean;
  readonly width?: number;
}

const POLL_MS = 1000;

export async function runWorkloadTimeline(r: WorkloadRun): Promise<number> {
  const tty = !!process.stdout.isTTY;
  const color = tty && !process.env.NO_COLOR;
  const read = async (): Promise<WorkloadModel> => buildWorkloadModel(await fetchWorkload(r.server, r.target, r.namespace), { now: Date.now() });
  const draw = (m: WorkloadModel): string => {
    if (r.output === 'json') return `${JSON.stringify(m, null, r.follow ? 0 : 2)}\n`;
    if (r.output === 'trace') return renderWorkloadTraceJSON(m);
    const o = { width: r.width ?? (tty && process.stdout.columns ? process.stdout.columns : 100), color };
    if (!(r.follow && tty)) return renderWorkloadText(m, o);
    // Live on a terminal: only as many steps as fit under the chart, so the redraw never scrolls.
    const chart = renderWorkloadText(m, { ...o, steps: 0 }).split('\n').length;
    const room = (process.stdout.rows || 40) - chart - 3;
    return renderWorkloadText(m, { ...o, steps: Math.max(0, room) });
  };
  const report = (err: unknown) => process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  if (!r.follow) {
    try {
      process.stdout.write(draw(await read()));
      return 0;
    } catch (err) {
      report(err);
      return 1;
    }
  }

  return followLoop({
    pollMs: POLL_MS, redraw: tty && r.output === 'text',
    read: async () => {
      const m = await read();
      // Off a terminal only a change in what was read is written (not the clock moving the open lanes).
      const key = JSON.stringify({ ...m, end: 0, pods: m.pods.map((p) => ({ ...p, segments: p.segments.map((s) => ({ ...s, end: s.open ? 0 : s.end })) })) });
      return { text: draw(m), key };
    },
    gone: (err) => (err instanceof FetchError && err.notFound ? `${r.target.workload.kind.toLowerCase()} deleted; the timeline above is its last state` : undefined),
  });
}
