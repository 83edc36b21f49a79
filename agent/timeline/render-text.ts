// agent/timeline/render-text.ts — PURE: timeline model → a chart for the terminal. A time axis in seconds
// from the first instant, then per lane a row of states (pull, run, back-off, grace), a row of events
// (hooks, signals, Ready flips) and a row of probe attempts; a legend of the glyphs used and the steps in
// order. Every glyph is distinct, so the chart reads without colour; ANSI colour only when `color` is set.
import type { Lane, Mark, Span, TimelineModel } from './model.js';

export interface TextOptions {
  /** Total width in columns (labels included). Default 100. */
  readonly width?: number;
  readonly color?: boolean;
  /** How many of the latest steps to list under the chart; 0 lists none. Default 40. */
  readonly steps?: number;
}

export type Colour = 'green' | 'red' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'dim' | 'bold';
export const SGR: Record<Colour, string> = { green: '32', red: '31', yellow: '33', blue: '34', magenta: '35', cyan: '36', dim: '2', bold: '1' };

/** Every glyph the chart can draw, in legend order, with its meaning and colour. */
export const GLYPHS = {
  sandbox: { ch: '≡', text: 'pod sandbox being created', colour: 'cyan' },
  terminating: { ch: '~', text: 'pod terminating', colour: 'yellow' },
  phase: { ch: '◆', text: 'pod phase change', colour: 'bold' },
  deletion: { ch: 'D', text: 'deletion requested', colour: 'yellow' },
  removed: { ch: 'X', text: 'pod removed', colour: 'red' },
  pull: { ch: '▒', text: 'image pull', colour: 'cyan' },
  pullFailed: { ch: '×', text: 'image pull failed', colour: 'red' },
  run: { ch: '█', text: 'running', colour: 'green' },
  backoff: { ch: '░', text: 'crash back-off', colour: 'yellow' },
  grace: { ch: '▓', text: 'grace period (stop signal → exit)', colour: 'magenta' },
  restart: { ch: '↻', text: 'restart', colour: 'yellow' },
  exitOk: { ch: '✓', text: 'exit 0', colour: 'green' },
  exitFail: { ch: '✗', text: 'exit ≠ 0', colour: 'red' },
  exitUnknown: { ch: '┤', text: 'exit (code unknown)', colour: 'dim' },
  postStart: { ch: '»', text: 'postStart hook', colour: 'blue' },
  preStop: { ch: '«', text: 'preStop hook', colour: 'blue' },
  hookFailed: { ch: '#', text: 'hook failed', colour: 'red' },
  sigterm: { ch: 'T', text: 'stop signal (SIGTERM or the stopSignal)', colour: 'magenta' },
  sigkill: { ch: 'K', text: 'SIGKILL', colour: 'red' },
  ready: { ch: '▲', text: 'became Ready', colour: 'green' },
  unready: { ch: '▼', text: 'not Ready', colour: 'red' },
  verdictOk: { ch: '+', text: 'startup/liveness verdict: success', colour: 'green' },
  verdictFail: { ch: '!', text: 'startup/liveness verdict: failure', colour: 'red' },
  error: { ch: 'E', text: 'error (see steps)', colour: 'red' },
  liveness: { ch: 'L', text: 'liveness probe pass (l = fail)', colour: 'green' },
  readiness: { ch: 'R', text: 'readiness probe pass (r = fail)', colour: 'green' },
  startup: { ch: 'S', text: 'startup probe pass (s = fail)', colour: 'green' },
} as const satisfies Record<string, { ch: string; text: string; colour: Colour }>;
type GlyphName = keyof typeof GLYPHS;

interface Cell { ch: string; colour?: Colour; prio: number; g?: GlyphName; mark?: boolean }

class Row {
  readonly cells: Cell[];
  constructor(n: number) { this.cells = Array.from({ length: n }, () => ({ ch: ' ', prio: 0 })); }
  /** Paints one cell if `prio` is at least what is there. */
  put(col: number, g: GlyphName, prio: number, ch: string = GLYPHS[g].ch, colour: Colour = GLYPHS[g].colour, mark = true): void {
    const c = this.cells[Math.max(0, Math.min(this.cells.length - 1, col))]!;
    if (prio < c.prio) return;
    Object.assign(c, { ch, colour, prio, g, mark });
  }
  fill(from: number, to: number, g: GlyphName, prio: number): void {
    for (let i = from; i <= Math.max(from, to); i++) this.put(i, g, prio, undefined, undefined, false);
  }
  /**
   * An instant that must stay visible: the first cell of col…col+2 (so order is kept; leftwards only at the
   * right edge) that holds no other mark and is not the first cell of a span, else `col` by priority.
   */
  mark(col: number, g: GlyphName, prio: number): void {
    for (const i of [col, col + 1, col + 2, col - 1, col - 2]) {
      if (i < 0 || i >= this.cells.length || (i < col && col + 1 < this.cells.length)) continue;
      const c = this.cells[i]!;
      if (c.prio === 0 || (!c.mark && i > 0 && this.cells[i - 1]!.g === c.g && !this.cells[i - 1]!.mark)) { this.put(i, g, prio); return; }
    }
    this.put(col, g, prio);
  }
  empty(): boolean { return this.cells.every((c) => c.prio === 0); }
}

/** Axis step in seconds: the first of these that keeps labels about 10 columns apart. */
const STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];

export function formatSeconds(ms: number, step = 1): string {
  const s = ms / 1000;
  return step < 1 ? `${s.toFixed(1)}s` : `${Math.round(s)}s`;
}

export function renderText(model: TimelineModel, opts: TextOptions = {}): string {
  const width = Math.max(40, Math.floor(opts.width ?? 100));
  const fit = (s: string) => ([...s].length > width ? `${[...s].slice(0, width - 1).join('')}…` : s);
  const paint = (s: string, c?: Colour) => (opts.color && c && s.trim() ? `\x1b[${SGR[c]}m${s}\x1b[0m` : s);
  const labelW = Math.max(13, ...model.lanes.map((l) => laneLabel(l).length)) + 2;
  const cols = width - labelW;
  const span = Math.max(0, model.end - model.start);
  const perCol = span / Math.max(1, cols - 1);
  const col = (t: number) => (span === 0 ? 0 : Math.round((t - model.start) / perCol));
  const used = new Set<GlyphName | undefined>();
  const rowOf = () => new Row(cols);
  const out: string[] = [];

  const p = model.pod;
  const head = [`pod ${p.namespace}/${p.name}`, p.phase ?? 'unknown phase', ...(p.podIP ? [`IP ${p.podIP}`] : []), ...(p.removed ? ['removed from the node'] : p.deleting ? ['Terminating'] : [])];
  out.push(paint(fit(head.join('  ·  ')), 'bold'));
  out.push(paint(fit(`time from the first step: 0s → ${formatSeconds(span, 0.1)}, one column ≈ ${formatSeconds(perCol, 0.1)}`), 'dim'));
  out.push('');

  const [labels, ruler] = axis(span, cols, (t) => col(model.start + t));
  out.push(' '.repeat(labelW) + paint(labels, 'dim'));
  out.push(' '.repeat(labelW) + paint(ruler, 'dim'));

  const line = (label: string, row: Row) => {
    let body = '';
    for (let i = 0; i < row.cells.length;) {
      // One escape sequence per stretch of one colour.
      let j = i;
      while (j < row.cells.length && row.cells[j]!.colour === row.cells[i]!.colour) used.add(row.cells[j++]!.g!);
      body += paint(row.cells.slice(i, j).map((c) => c.ch).join(''), row.cells[i]!.colour);
      i = j;
    }
    out.push(label.padEnd(labelW).slice(0, labelW) + body.trimEnd());
  };
  for (const l of model.lanes) {
    const [state, events] = [rowOf(), rowOf()];
    const probes: Record<string, Row> = { startup: rowOf(), liveness: rowOf(), readiness: rowOf() };
    drawLane(l, { state, events, probes }, col);
    if (l.kind === 'pod') {
      line('pod', state);
      continue;
    }
    line(laneLabel(l), state);
    if (!events.empty()) line('  ↳ events', events);
    for (const [type, row] of Object.entries(probes)) if (!row.empty()) line(`  ↳ ${type}`, row);
  }

  out.push('');
  const legend = (Object.keys(GLYPHS) as GlyphName[]).filter((g) => used.has(g)).map((g) => `${paint(GLYPHS[g].ch, GLYPHS[g].colour)} ${GLYPHS[g].text}`);
  out.push(...wrap(legend, width, '   '));

  const limit = opts.steps ?? 40;
  if (limit > 0) {
    const steps = listSteps(model);
    out.push('', paint(`Steps (seconds from the first; ~ = inferred):`, 'bold'));
    if (steps.length > limit) out.push(paint(`  … ${steps.length - limit} earlier steps not shown`, 'dim'));
    const nameW = Math.min(16, Math.max(4, ...model.lanes.map((l) => l.id.length)));
    for (const s of steps.slice(-limit)) {
      const text = `${((s.time - model.start) / 1000).toFixed(3).padStart(9)}${s.approximate ? '~' : ' '} ${s.lane.padEnd(nameW)}  ${s.text}`;
      out.push(fit(text));
    }
  }
  return `${out.join('\n')}\n`;
}

/** The time axis: seconds labels above a ruler, `cols` wide; `col` maps ms from the start to a column. */
export function axis(span: number, cols: number, col: (msFromStart: number) => number): [labels: string, ruler: string] {
  const stepS = STEPS.find((s) => (span / 1000 / s) * 10 <= cols) ?? STEPS[STEPS.length - 1]!;
  const labels = Array<string>(cols).fill(' ');
  const ruler = Array<string>(cols).fill('─');
  let free = 0;
  for (let t = 0; t <= span + 1e-6; t += stepS * 1000) {
    const c = col(t);
    if (c >= cols) break;
    ruler[c] = c === 0 ? '├' : '┼';
    const text = formatSeconds(t, stepS);
    if (c >= free && c + text.length <= cols) { for (let i = 0; i < text.length; i++) labels[c + i] = text[i]!; free = c + text.length + 1; }
  }
  return [labels.join('').trimEnd(), ruler.join('')];
}

function laneLabel(l: Lane): string {
  const prefix = l.kind === 'init' ? 'init:' : l.kind === 'sidecar' ? 'sidecar:' : l.kind === 'ephemeral' ? 'debug:' : '';
  const s = `${prefix}${l.id}`;
  return s.length > 16 ? `${s.slice(0, 15)}…` : s;
}

function drawLane(l: Lane, rows: { state: Row; events: Row; probes: Record<string, Row> }, col: (t: number) => number): void {
  const { state, events, probes } = rows;
  const fill = (row: Row, sp: Span, g: GlyphName, prio: number) => row.fill(col(sp.start), col(sp.end), g, prio);
  for (const sp of l.spans) {
    switch (sp.kind) {
      case 'sandbox': fill(state, sp, 'sandbox', 2); break;
      case 'terminating': fill(state, sp, 'terminating', 1); break;
      case 'run': fill(state, sp, 'run', 3); break;
      case 'backoff': fill(state, sp, 'backoff', 2); break;
      case 'pull': fill(state, sp, sp.ok === false ? 'pullFailed' : 'pull', 2); break;
      case 'grace': fill(state, sp, 'grace', 4); break;
      case 'postStart': case 'preStop':
        fill(events, sp, sp.ok === false ? 'hookFailed' : sp.kind, 2);
        break;
    }
  }
  for (const m of l.marks) {
    const c = col(m.time);
    switch (m.kind) {
      case 'restart': state.put(c, 'restart', 5); break;
      case 'exit': {
        // A run shorter than a column keeps its cell: the exit goes right after it.
        const run = l.spans.find((s) => s.kind === 'run' && s.end === m.time);
        const at = run && col(run.start) === c && !l.marks.some((x) => x.kind === 'restart' && x.time === run.start) ? c + 1 : c;
        state.put(at, m.exitCode === undefined ? 'exitUnknown' : m.exitCode === 0 ? 'exitOk' : 'exitFail', m.approximate ? 5 : 6);
        break;
      }
      case 'signal': events.mark(c, m.signal === 'SIGKILL' ? 'sigkill' : 'sigterm', 4); break;
      case 'ready': events.mark(c, m.ready ? 'ready' : 'unready', 5); break;
      case 'verdict': events.mark(c, m.ok ? 'verdictOk' : 'verdictFail', 5); break;
      case 'error': events.mark(c, 'error', 3); break;
      case 'probe': {
        const g: GlyphName = m.probeType === 'Liveness' ? 'liveness' : m.probeType === 'Startup' ? 'startup' : 'readiness';
        probes[g]!.put(c, g, m.ok ? 1 : 2, m.ok ? GLYPHS[g].ch : GLYPHS[g].ch.toLowerCase(), m.ok ? 'green' : 'red');
        break;
      }
      case 'condition': if (m.ready !== undefined) state.put(c, m.ready ? 'ready' : 'unready', 5); break;
      case 'phase': if (l.kind === 'pod') state.put(c, 'phase', 4); break;
      case 'deletion': state.put(c, 'deletion', 5); break;
      case 'delete': state.put(c, 'removed', 6); break;
      default: break;
    }
  }
}

interface Step { time: number; lane: string; text: string; approximate?: boolean }

/** The steps worth reading in order: every mark but passing probes that changed nothing, and span starts. */
export function listSteps(model: TimelineModel): Step[] {
  const steps: Step[] = [];
  for (const l of model.lanes) {
    for (const m of l.marks) {
      if (m.kind === 'probe' && m.ok) continue; // passing attempts are on the chart; flips are listed
      if (m.kind === 'pull') continue; // the pull span says it
      steps.push({ time: m.time, lane: l.id, text: m.label, approximate: m.approximate });
    }
    for (const s of l.spans) {
      if (s.kind === 'run' || s.kind === 'terminating') continue;
      const took = s.open ? 'still going' : `${((s.end - s.start) / 1000).toFixed(3)}s`;
      const what = s.kind === 'sandbox' ? 'creating the pod sandbox' : s.label;
      steps.push({ time: s.start, lane: l.id, text: `${what} (${took})`, approximate: s.approximate });
    }
  }
  return steps.sort((a, b) => a.time - b.time);
}

export function wrap(items: string[], width: number, sep: string): string[] {
  const lines: string[] = [];
  let cur = '';
  let curLen = 0;
  // eslint-disable-next-line no-control-regex
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  for (const it of items) {
    const n = visible(it);
    if (cur && curLen + sep.length + n > width) { lines.push(cur); cur = ''; curLen = 0; }
    cur += (cur ? sep : '') + it;
    curLen += (curLen ? sep.length : 0) + n;
  }
  if (cur) lines.push(cur);
  return lines;
}
