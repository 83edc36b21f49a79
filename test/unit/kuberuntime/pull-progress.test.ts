import { describe, expect, it } from 'vitest';
import { PullProgressDisplay } from '../../../agent/events/pull-progress.js';

describe('pull progress', () => {
  it('renders percent and layers, without colour when asked', () => {
    const layers = new Map([['a', { current: 50, total: 100, done: false }], ['b', { current: 0, total: 100, done: true }]]);
    expect(PullProgressDisplay.render('busybox:latest', { layers }, false)).toBe('Pulling busybox:latest ███████████████░░░░░ 75% 1/2 layers');
  });
  it('logs at most every 2 s when not a terminal, and stops at the final status', () => {
    let now = 0;
    const lines: string[] = [];
    const d = new PullProgressDisplay(undefined, (_i, t) => lines.push(t), () => now);
    d.update('x', { id: 'l1', status: 'Downloading', current: 1, total: 10 });
    now = 1000; d.update('x', { id: 'l1', status: 'Downloading', current: 5, total: 10 });
    now = 2500; d.update('x', { id: 'l1', status: 'Download complete' });
    expect(lines).toEqual(['Pulling x ██░░░░░░░░░░░░░░░░░░ 10% 0/1 layers', 'Pulling x ████████████████████ 100% 1/1 layers']);
  });
});
