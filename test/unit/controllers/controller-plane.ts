// test/unit/controllers/controller-plane.ts — the rig of the controller tests against the REAL embedded API
// server: before each test a fresh plane (openStore + startApiServer + HttpKubeClient) with the controllers
// `start` runs on it; after each, the controllers stopped (their run promises awaited) and the plane closed.
//
//   let plane: Plane;
//   withControllers((client, signal) => startX({ client }).run(signal), (p) => { plane = p; });
import { afterEach, beforeEach } from 'vitest';
import type { KubeClient } from '../../../client/index.js';
import { startPlane, type Plane } from '../client/helpers.js';

export function withControllers(start: (client: KubeClient, signal: AbortSignal) => Promise<unknown> | Promise<unknown>[], onPlane: (plane: Plane) => void): void {
  let plane: Plane;
  let ac: AbortController;
  let running: Promise<unknown>;
  beforeEach(async () => {
    plane = await startPlane();
    onPlane(plane);
    ac = new AbortController();
    const started = start(plane.client, ac.signal);
    running = Promise.all(Array.isArray(started) ? started : [started]);
  });
  afterEach(async () => {
    ac.abort();
    await running;
    await plane.close();
  });
}
