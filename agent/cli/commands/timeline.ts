// agent/cli/commands/timeline.ts — `mini-kubelet timeline POD`: fetches the pod's lifecycle record from the
// agent (GET /lifecycle/<namespace>/<name>) and draws it: a chart for the terminal, the model as JSON, or a
// Chrome trace for Perfetto. `--follow` polls every 500 ms and redraws (clearing the screen only on a TTY).
// `timeline KIND/NAME` (deployment/web, job/pi …) draws a workload instead: timeline-workload.ts.
import { parseArgs } from 'node:util';
import type { LifecycleEntry } from '../../timeline/lifecycle-record.js';
import type { Pod } from '../../api/v1.js';
import { buildModel } from '../../timeline/model.js';
import { renderText } from '../../timeline/render-text.js';
import { renderTraceJSON } from '../../timeline/render-trace.js';
import { parseTarget } from '../../timeline/workload-fetch.js';
import { runWorkloadTimeline } from './timeline-workload.js';
import { followLoop } from './timeline-follow.js';

const HELP = `Usage: mini-kubelet timeline POD|KIND/NAME [-n NAMESPACE] [--server URL] [--follow] [-o text|json|trace] [--width N]

Draws the lifecycle of a pod the agent runs, one lane per container, against a time axis in seconds:
the sandbox, image pulls, init containers, container runs, postStart/preStop hooks, each probe attempt,
Ready flips, signals, exits and restarts with their back-off gaps. A legend and the steps in order follow.

For a workload (deployment/NAME, replicaset/, statefulset/, daemonset/, job/, cronjob/,
replicationcontroller/, or deploy/ rs/ sts/ ds/ cj/ rc/) it draws the controller's steps on top
(ReplicaSets or Jobs created and scaled, pods created and deleted, conditions, events) and a lane
per pod the workload had (pending, running, Ready, terminating, gone), read from the API and the
agent on the same --server. A bare NAME or pod/NAME is a pod.

Flags:
  -n, --namespace NAMESPACE   the pod's namespace (default "default")
      --server URL            the agent's address (default http://127.0.0.1:10255)
  -f, --follow                redraw live (every 500 ms) until interrupted or the pod is removed
  -o, --output FORMAT         text (default), json (the timeline model), trace (Chrome trace JSON:
                              open it in https://ui.perfetto.dev or chrome://tracing)
      --width N               chart width in columns (default: the terminal's, else 100)
  -h, --help                  this help

Colour is used when stdout is a terminal and NO_COLOR is not set.

Examples:
  mini-kubelet timeline loap
  mini-kubelet timeline loap --follow
  mini-kubelet timeline loap -o trace > loap.trace.json
  mini-kubelet timeline deployment/web --follow
`;

const POLL_MS = 500;

/** `removed`: the agent no longer runs the pod and answered with its last view. */
interface Fetched { pod: Pod; entries: LifecycleEntry[]; removed: boolean; serverNow?: number }
class CliError extends Error {
  constructor(message: string, readonly notFound = false) { super(message); }
}

export async function runTimeline(argv: string[]): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true, options: {
        help: { type: 'boolean', short: 'h' },
        namespace: { type: 'string', short: 'n', default: 'default' },
        server: { type: 'string', default: 'http://127.0.0.1:10255' },
        follow: { type: 'boolean', short: 'f' },
        output: { type: 'string', short: 'o', default: 'text' },
        width: { type: 'string' },
      },
    }));
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) { process.stdout.write(HELP); return 0; }
  const fail = (msg: string) => { process.stderr.write(`error: ${msg}\nSee 'mini-kubelet timeline --help'.\n`); return 2; };
  if (positionals.length !== 1) return fail(positionals.length ? 'exactly one POD name is expected' : 'a POD name is required');
  const output = values.output!;
  if (!['text', 'json', 'trace'].includes(output)) return fail(`--output must be text, json or trace, not "${output}"`);
  if (values.follow && output === 'trace') return fail('--follow draws text or json; write a trace once, without --follow');
  let width: number | undefined;
  if (values.width !== undefined) {
    width = Number(values.width);
    if (!Number.isInteger(width) || width < 40) return fail(`--width must be a whole number of columns, at least 40, not "${values.width}"`);
  }
  const tty = !!process.stdout.isTTY;
  const color = tty && !process.env.NO_COLOR;
  const server = values.server!.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(server)) return fail(`--server must be a URL such as http://127.0.0.1:10255, not "${values.server}"`);
  const target = parseTarget(positionals[0]!);
  if ('error' in target) return fail(target.error);
  if ('workload' in target) return runWorkloadTimeline({ server, namespace: values.namespace!, target, output: output as 'text' | 'json' | 'trace', follow: !!values.follow, width });
  const url = `${server}/lifecycle/${encodeURIComponent(values.namespace!)}/${encodeURIComponent(target.pod)}`;

  const draw = (f: Fetched): string => {
    const phase = f.pod.status?.phase;
    const live = !f.removed && (!!f.pod.metadata?.deletionTimestamp || (phase !== 'Succeeded' && phase !== 'Failed'));
    const model = buildModel(f.entries, f.pod, live ? { now: f.serverNow ?? Date.now() } : {});
    if (output === 'json') return `${JSON.stringify(model, null, values.follow ? 0 : 2)}\n`;
    if (output === 'trace') return renderTraceJSON(model);
    const o = { width: width ?? (tty && process.stdout.columns ? process.stdout.columns : 100), color };
    if (!(values.follow && tty)) return renderText(model, o);
    // Live on a terminal: list only as many steps as fit under the chart, so the redraw never scrolls.
    const chart = renderText(model, { ...o, steps: 0 }).split('\n').length;
    const room = (process.stdout.rows || 40) - chart - 3;
    return room > 0 ? renderText(model, { ...o, steps: room }) : renderText(model, { ...o, steps: 0 });
  };

  if (!values.follow) {
    try {
      process.stdout.write(draw(await fetchLifecycle(url, server)));
      return 0;
    } catch (err) {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  return follow(url, server, draw, tty && output === 'text');
}

function follow(url: string, server: string, draw: (f: Fetched) => string, redraw: boolean): Promise<number> {
  const removed = 'pod removed; the timeline above is its last state';
  return followLoop({
    pollMs: POLL_MS, redraw,
    read: async () => {
      const f = await fetchLifecycle(url, server);
      // Off a terminal only a change in the record is written.
      const key = `${f.entries.length}:${f.entries[f.entries.length - 1]?.time}:${JSON.stringify(f.pod.status ?? {})}`;
      return { text: draw(f), key, ...(f.removed ? { done: removed } : {}) };
    },
    gone: (err) => (err instanceof CliError && err.notFound ? removed : undefined),
  });
}

async function fetchLifecycle(url: string, server: string): Promise<Fetched> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    throw new CliError(`error: cannot reach the mini-kubelet agent at ${server} (${why}); start it with \`mini-kubelet agent\`, or point --server at it`);
  }
  const body = await res.text();
  let json: unknown;
  try { json = JSON.parse(body); } catch { json = undefined; }
  if (res.status === 404) {
    const status = json as { kind?: string; reason?: string; message?: string } | undefined;
    if (status?.kind === 'Status') throw new CliError(`Error from server (${status.reason ?? 'NotFound'}): ${status.message ?? 'not found'}`, true);
    throw new CliError(`error: ${server} answered 404 for /lifecycle: is it a mini-kubelet agent? Point --server at one (started with \`mini-kubelet agent\`)`);
  }
  if (!res.ok) {
    const status = json as { reason?: string; message?: string } | undefined;
    throw new CliError(`Error from server (${status?.reason ?? res.statusText ?? res.status}): ${status?.message ?? body.trim().slice(0, 200)}`);
  }
  const data = json as { pod?: Pod; entries?: LifecycleEntry[]; deleted?: boolean } | undefined;
  if (!data?.pod || !Array.isArray(data.entries)) throw new CliError(`error: ${server} did not answer with a lifecycle record; is --server a mini-kubelet agent?`);
  const date = Date.parse(res.headers.get('date') ?? '');
  // The agent's clock decides where "now" is (the Date header is whole seconds: only trust it when skewed).
  const serverNow = Number.isFinite(date) && Math.abs(date - Date.now()) > 2000 ? date : undefined;
  const removed = data.deleted === true || data.entries.some((e) => e.kind === 'delete' && !e.container);
  return { pod: data.pod, entries: data.entries, removed, serverNow };
}
