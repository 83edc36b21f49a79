// agent/timeline/render-workload.ts — PURE: workload model → a chart for the terminal. The controller lane on
// top (the workload's own events and conditions, a row per owned object with its replica count at each
// scaling step, a row of pod creations and deletions), then a row per pod (pending, starting, Ready,
// terminating, gone), a legend of the glyphs used and the steps in order. Distinct glyphs, so it reads
// without colour; ANSI colour only when `color` is set.
import { axis, formatSeconds, SGR, wrap, type Colour, type TextOptions } from './render-text.js';
import type { PodLane, PodState } from './workload-pods.js';
import type { OwnedObject, WorkloadModel } from './workload-model.js';

const G = {
  made: { ch: '●', text: 'created', colour: 'cyan' },
  condOk: { ch: '◆', text: 'condition → good', colour: 'green' },
  condBad: { ch: '◇', text: 'condition → bad', colour: 'red' },
  warning: { ch: '!', text: 'warning event', colour: 'red' },
  event: { ch: '•', text: 'other event', colour: 'dim' },
  replicas: { ch: '─', text: 'replicas > 0 (digits: the count set by a scaling step)', colour: 'blue' },
  podCreated: { ch: '+', text: 'pod created by the controller', colour: 'green' },
  podDeleted: { ch: '-', text: 'pod deleted by the controller', colour: 'red' },
  pending: { ch: '·', text: 'pod pending (created, containers not running)', colour: 'dim' },
  starting: { ch: '▒', text: 'running, not Ready', colour: 'cyan' },
  ready: { ch: '█', text: 'Ready', colour: 'green' },
  unready: { ch: '▄', text: 'not Ready again', colour: 'yellow' },
  terminating: { ch: '~', text: 'terminating', colour: 'yellow' },
  succeeded: { ch: '=', text: 'succeeded', colour: 'green' },
  failed: { ch: '#', text: 'failed', colour: 'red' },
  restart: { ch: '↻', text: 'container restart', colour: 'yellow' },
  exitFail: { ch: '✗', text: 'container exit ≠ 0', colour: 'red' },
  gone: { ch: 'X', text: 'pod removed from the node', colour: 'red' },
} as const satisfies Record<string, { ch: string; text: string; colour: Colour }>;
type Glyph = keyof typeof G;

interface Cell { ch: string; colour?: Colour; prio: number; g?: Glyph }
const row = (n: number): Cell[] => Array.from({ length: n }, () => ({ ch: ' ', prio: 0 }));
const put = (r: Cell[], c: number, g: Glyph, prio: number, ch: string = G[g].ch) => {
  const cell = r[Math.max(0, Math.min(r.length - 1, c))]!;
  if (prio >= cell.prio) Object.assign(cell, { ch, colour: G[g].colour, prio, g });
};
/** An instant kept visible: the first free cell of c…c+2, else c by priority. */
const mark = (r: Cell[], c: number, g: Glyph, prio: number, ch?: string) => {
  const free = [c, c + 1, c + 2].find((i) => i < r.length && r[i]!.prio === 0);
  put(r, free ?? c, g, prio, ch);
};
const SEGMENT: Record<PodState, Glyph> = { pending: 'pending', starting: 'starting', ready: 'ready', unready: 'unready', terminating: 'terminating', succeeded: 'succeeded', failed: 'failed' };
const SHORT: Record<string, string> = { replicaset: 'rs', job: 'job', replicationcontroller: 'rc', deployment: 'deploy', statefulset: 'sts', daemonset: 'ds', cronjob: 'cj', pod: 'pod' };
const shortRef = (ref: string) => { const [k, n] = ref.split('/'); return `${SHORT[k!] ?? k}/${n}`; };

export function renderWorkloadText(model: WorkloadModel, opts: TextOptions = {}): string {
  const width = Math.max(40, Math.floor(opts.width ?? 100));
  const fit = (s: string) => ([...s].length > width ? `${[...s].slice(0, width - 1).join('')}…` : s);
  const paint = (s: string, c?: Colour) => (opts.color && c && s.trim() ? `\x1b[${SGR[c]}m${s}\x1b[0m` : s);
  const w = model.workload;
  const objLabel = (o: OwnedObject) => `${shortRef(`${o.kind.toLowerCase()}/${o.name}`)}${o.revision ? ` r${o.revision}` : ''}`;
  const rootLabel = shortRef(`${w.kind.toLowerCase()}/${w.name}`);
  const labelW = Math.min(32, Math.max(14, [...model.objects.map((o) => `  ${objLabel(o)}`), ...model.pods.map((p) => `  ${p.name}`), rootLabel].reduce((m, s) => Math.max(m, s.length), 0))) + 2;
  const cols = width - labelW;
  const span = Math.max(0, model.end - model.start);
  const perCol = span / Math.max(1, cols - 1);
  const col = (t: number) => (span === 0 ? 0 : Math.round((t - model.start) / perCol));
  const used = new Set<Glyph>();
  const out: string[] = [];
  const line = (label: string, r: Cell[]) => {
    let body = '';
    for (let i = 0; i < r.length;) {
      let j = i;
      while (j < r.length && r[j]!.colour === r[i]!.colour) { if (r[j]!.g) used.add(r[j]!.g!); j++; }
      body += paint(r.slice(i, j).map((c) => c.ch).join(''), r[i]!.colour);
      i = j;
    }
    const l = label.length > labelW - 2 ? `${label.slice(0, labelW - 3)}…` : label;
    out.push(l.padEnd(labelW) + body.trimEnd());
  };

  out.push(paint(fit([`${w.kind.toLowerCase()} ${w.namespace}/${w.name}`, ...(w.revision ? [`revision ${w.revision}`] : []), w.summary, ...(w.deleting ? ['deleting'] : [])].join('  ·  ')), 'bold'));
  out.push(paint(fit(`${model.objects.length} owned object(s), ${model.pods.length} pod(s); time from the first step: 0s → ${formatSeconds(span, 0.1)}, one column ≈ ${formatSeconds(perCol, 0.1)}`), 'dim'));
  out.push('');
  const [labels, ruler] = axis(span, cols, (t) => col(model.start + t));
  out.push(' '.repeat(labelW) + paint(labels, 'dim'), ' '.repeat(labelW) + paint(ruler, 'dim'));

  // The controller lane: the workload's own steps, each owned object's replicas, the pods it made and removed.
  const rootRow = row(cols), podRow = row(cols);
  const rootRef = `${w.kind.toLowerCase()}/${w.name}`;
  for (const s of model.steps) {
    const c = col(s.time);
    if (s.kind === 'podCreated') mark(podRow, c, 'podCreated', 2);
    else if (s.kind === 'podDeleted') mark(podRow, c, 'podDeleted', 2);
    else if (s.object !== rootRef) continue;
    else if (s.kind === 'created') mark(rootRow, c, 'made', 3);
    else if (s.kind === 'condition') mark(rootRow, c, s.ok === false ? 'condBad' : 'condOk', 2);
    else if (s.ok === false) mark(rootRow, c, 'warning', 4);
    else if (s.kind === 'event') mark(rootRow, c, 'event', 1);
  }
  line(rootLabel, rootRow);
  for (const o of model.objects) line(`  ${objLabel(o)}`, objectRow(o, model, cols, col));
  if (podRow.some((c) => c.prio > 0)) line('  pods +/-', podRow);

  for (const p of model.pods) line(`  ${p.name}`, podRowOf(p, cols, col));

  out.push('');
  out.push(...wrap((Object.keys(G) as Glyph[]).filter((g) => used.has(g)).map((g) => `${paint(G[g].ch, G[g].colour)} ${G[g].text}`), width, '   '));
  const limit = opts.steps ?? 40;
  if (limit > 0) {
    const steps = workloadSteps(model);
    out.push('', paint('Steps (seconds from the first; ~ = whole-second time):', 'bold'));
    if (steps.length > limit) out.push(paint(`  … ${steps.length - limit} earlier steps not shown`, 'dim'));
    const nameW = Math.min(28, Math.max(4, ...steps.map((s) => s.who.length)));
    for (const s of steps.slice(-limit)) out.push(fit(`${((s.time - model.start) / 1000).toFixed(3).padStart(9)}${s.approximate ? '~' : ' '} ${s.who.padEnd(nameW)}  ${s.text}`));
  }
  return `${out.join('\n')}\n`;
}

function objectRow(o: OwnedObject, model: WorkloadModel, cols: number, col: (t: number) => number): Cell[] {
  const r = row(cols);
  const points = [...o.replicas].sort((a, b) => a.time - b.time);
  if (!points.length) {
    // No scaling steps (a Job of a CronJob, a ReplicaSet on its own): its life from creation.
    if (o.created !== undefined) { if (!o.gone) for (let c = col(o.created); c <= col(model.end); c++) put(r, c, 'replicas', 1); put(r, col(o.created), 'made', 3); }
    return r;
  }
  points.forEach((p, i) => {
    const until = points[i + 1]?.time ?? (o.gone && p.to === 0 ? p.time : model.end);
    if (p.to > 0) for (let c = col(p.time); c <= col(until); c++) put(r, c, 'replicas', 1);
  });
  for (const p of points) mark(r, col(p.time), 'replicas', 3, p.to > 9 ? '*' : String(p.to));
  return r;
}

function podRowOf(p: PodLane, cols: number, col: (t: number) => number): Cell[] {
  const r = row(cols);
  for (const s of p.segments) for (let c = col(s.start); c <= col(s.end); c++) put(r, c, SEGMENT[s.state], 1 + (s.state === 'terminating' ? 1 : 0));
  for (const k of p.marks) {
    const c = col(k.time);
    if (k.kind === 'restart') put(r, c, 'restart', 4);
    else if (k.kind === 'exit' && k.ok === false) put(r, c, 'exitFail', 4);
    else if (k.kind === 'warning') put(r, c, 'warning', 3);
    else if (k.kind === 'gone') put(r, c, 'gone', 5);
  }
  return r;
}

export interface WorkloadStep { time: number; who: string; text: string; approximate?: boolean }

/** The controller's steps and each pod's, in order (the pods' detail is in their own timelines). */
export function workloadSteps(model: WorkloadModel): WorkloadStep[] {
  const steps: WorkloadStep[] = model.steps.map((s) => ({ time: s.time, who: shortRef(s.object), text: s.kind === 'event' || s.kind === 'condition' || s.kind === 'created' ? `${s.message}${s.kind === 'event' ? ` (${s.reason})` : ''}` : s.message, ...(s.approximate ? { approximate: true } : {}) }));
  for (const p of model.pods) for (const k of p.marks) {
    // Said by the controller already ("Created pod: x", "Deleted pod: x").
    if (k.kind === 'created' && model.steps.some((s) => s.kind === 'podCreated' && s.target === p.name)) continue;
    if (k.kind === 'deletion' && model.steps.some((s) => s.kind === 'podDeleted' && s.target === p.name && s.time === k.time)) continue;
    steps.push({ time: k.time, who: p.name, text: k.label, ...(k.approximate ? { approximate: true } : {}) });
  }
  return steps.sort((a, b) => a.time - b.time);
}
