// Text renderer: axis, lanes, glyph order against the axis, legend, colour only when asked, width.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../agent/timeline/model.js';
import { GLYPHS, renderText } from '../../../agent/timeline/render-text.js';
import { crashLoop, livenessRestart, loap, T } from './fixtures.js';

const ESC = '\x1b[';
const rows = (text: string) => text.split('\n');
const row = (text: string, label: string) => rows(text).find((l) => l.startsWith(label))!;
/** Column of a glyph in a row (code points, so it matches the axis). */
const colOf = (line: string, ch: string) => [...line].indexOf(ch);

describe('renderText: the loap experiment', () => {
  const { pod, entries } = loap();
  const model = buildModel(entries, pod, { now: T + 65_000 });
  const text = renderText(model, { width: 100 });

  it('prints a header, an axis in seconds and one lane per container', () => {
    expect(text).toMatch(/^pod default\/loap {2}· {2}Running {2}· {2}IP 10\.88\.0\.5 {2}· {2}Terminating\n/);
    expect(text).toMatch(/\n +0s +10s +20s +30s +40s +50s +60s\n/);
    for (const label of ['pod ', 'init:init', 'main', '  ↳ events', '  ↳ liveness', '  ↳ readiness']) expect(row(text, label)).toBeDefined();
  });

  it('has no colour unless asked, and fits the width', () => {
    expect(text).not.toContain(ESC);
    for (const line of rows(text)) expect([...line].length).toBeLessThanOrEqual(100);
    const narrow = renderText(model, { width: 60 });
    for (const line of rows(narrow)) expect([...line].length).toBeLessThanOrEqual(60);
  });

  it('shows INIT, START, POST-START, the probe ticks and PRE-HOOK in order against the axis', () => {
    const init = colOf(row(text, 'init:init'), GLYPHS.run.ch);
    const start = colOf(row(text, 'main'), GLYPHS.run.ch);
    const post = colOf(row(text, '  ↳ events'), GLYPHS.postStart.ch);
    const ready = colOf(row(text, '  ↳ events'), GLYPHS.ready.ch);
    const live = [...row(text, '  ↳ liveness')].flatMap((c, i) => (c === 'L' ? [i] : []));
    expect(row(text, '  ↳ liveness').slice(15).trim()).toMatch(/^L +L +L$/);
    const pre = colOf(row(text, '  ↳ events'), GLYPHS.preStop.ch);
    const term = colOf(row(text, '  ↳ events'), GLYPHS.sigterm.ch);
    const exit = colOf(row(text, 'main'), GLYPHS.exitFail.ch);
    expect(live).toHaveLength(3);
    const order = [init, start, post, live[0]!, ready, live[1]!, live[2]!, pre, term, exit];
    expect(order.every((c) => c > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(post).toBeLessThan(live[0]! + 2);
    // The 10 s axis tick sits where the second liveness probe (12.4 s) is, give or take the column scale.
    const axis = rows(text).find((l) => /^ +├/.test(l))!;
    const ticks = [...axis].flatMap((c, i) => (c === '┼' ? [i] : []));
    expect(live[1]! - ticks[0]!).toBeGreaterThanOrEqual(2);
    expect(live[1]! - ticks[0]!).toBeLessThanOrEqual(4);
  });

  it('lists only the glyphs it drew in the legend, and the steps in order', () => {
    expect(text).toContain(`${GLYPHS.postStart.ch} postStart hook`);
    expect(text).toContain(`${GLYPHS.preStop.ch} preStop hook`);
    expect(text).not.toContain(GLYPHS.backoff.text);
    const steps = text.slice(text.indexOf('Steps'));
    const at = (s: string) => steps.indexOf(s);
    const order = ['init  started', 'init  exit 0 (Completed)', 'main  started', 'postStart success', 'main  Ready', 'preStop success', 'SIGTERM', 'exit 143 (Error)'].map(at);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('colours with ANSI when asked, with the same glyphs underneath', () => {
    const coloured = renderText(model, { width: 100, color: true });
    expect(coloured).toContain(`${ESC}32m`);
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(text);
  });

  it('limits the steps list', () => {
    expect(renderText(model, { steps: 0 })).not.toContain('Steps');
    expect(renderText(model, { steps: 3 })).toMatch(/… \d+ earlier steps not shown/);
  });
});

describe('renderText: restarts', () => {
  it('draws a crash loop as runs, exits and back-off gaps', () => {
    const { pod, entries } = crashLoop();
    const text = renderText(buildModel(entries, pod), { width: 100 });
    const lane = row(text, 'crash');
    expect(lane).toMatch(/█+↻█+┤░+↻█+✗░+$/); // an inferred exit yields to the restart in its column
    expect(text).toContain(`${GLYPHS.backoff.ch} crash back-off`);
    expect(row(text, '  ↳ events')).toContain(GLYPHS.error.ch);
  });

  it('draws a liveness restart: failed probes, the verdict, SIGTERM, grace, SIGKILL, a new run', () => {
    const { pod, entries } = livenessRestart();
    const text = renderText(buildModel(entries, pod, { now: T + 70_000 }), { width: 100 });
    expect(row(text, '  ↳ liveness').slice(15).replace(/[^Ll]/g, '')).toBe('lll');
    expect(row(text, 'web')).toMatch(/█+▓+✗█+$/);
    const events = row(text, '  ↳ events');
    expect(colOf(events, '!')).toBeLessThan(colOf(events, 'T'));
    expect(colOf(events, 'T')).toBeLessThan(colOf(events, 'K'));
  });

  it('renders an empty model', () => {
    const text = renderText(buildModel([], undefined, { now: 0 }), { width: 80 });
    expect(text).toContain('0s');
  });
});
