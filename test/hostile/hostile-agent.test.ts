// Real Docker, hostile input: the whole hostile corpus (committed fixtures and run-time entries) dropped into
// one running agent's manifest folder beside valid pods. Each entry is reported by file name and reason on
// GET /manifest-errors, the agent's RSS stays bounded, the agent and the valid pods carry on untouched; a
// file written in two halves is never run half, and runs once whole.
import { appendFileSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/docker-rig.js';
import { ACCEPTED_POD_NAMES, HOSTILE_DIR, hostileFixtures, makeSpecialEntries, VALID_BY_DESIGN } from '../helpers/hostile-fixtures.js';
import { SpawnedAgent } from '../helpers/spawned-agent.js';
import { cstatus, podYaml } from '../faults/manifests.js';

const agent = new SpawnedAgent();
afterAll(async () => { await agent.cleanup(); });

async function manifestErrors(): Promise<string[]> {
  return ((await (await agent.get('/manifest-errors')).json()) as { errors: string[] }).errors;
}
const about = (errors: readonly string[], name: string) => errors.filter((e) => e.startsWith(`${name}:`) || e.startsWith(`${name}[`));

const RSS_LIMIT = 300 * 1024 * 1024;

describe('a manifest folder full of hostile files', () => {
  it('reports each by name and reason, keeps memory bounded, and leaves the valid pods running', { timeout: 300_000 }, async () => {
    await agent.start();
    agent.write('valid-web.yaml', podYaml('valid-web', { containers: [{ name: 'main', cmd: 'sleep 3600' }] }));
    agent.write('valid-init.yaml', podYaml('valid-init', { inits: [{ name: 'setup', cmd: 'true' }], containers: [{ name: 'main', cmd: 'sleep 3600' }] }));
    const before: Record<string, string> = {};
    for (const n of ['valid-web', 'valid-init']) {
      const p = await agent.waitForPod(n, (x) => x.status?.phase === 'Running', 90_000, 'Running');
      before[n] = cstatus(p, 'main')!.containerID!;
    }
    let peak = agent.rss();
    const sampler = setInterval(() => { try { peak = Math.max(peak, agent.rss()); } catch { /* exited */ } }, 100);

    const files = hostileFixtures();
    for (const f of files) copyFileSync(join(HOSTILE_DIR, f), join(agent.dir, f));
    const { entries, close } = await makeSpecialEntries(agent.dir);
    // Half a pod, left alone long enough to settle: reported as what it is, never run.
    const slow = podYaml('slow', { containers: [{ name: 'main', cmd: 'sleep 3600' }] });
    const cut = slow.indexOf('containers:') + 5;
    writeFileSync(join(agent.dir, 'slow.yaml'), slow.slice(0, cut));
    try {
      let errors: string[] = [];
      const expected = [...files.filter((f) => !VALID_BY_DESIGN.has(f)), ...entries.map((e) => e.name), 'slow.yaml'];
      await waitFor(async () => {
        errors = await manifestErrors();
        return expected.every((f) => about(errors, f).length > 0);
      }, { timeoutMs: 60_000, intervalMs: 250, message: () => `not reported: ${expected.filter((f) => about(errors, f).length === 0).join(', ')}` });
      for (const e of entries) expect(about(errors, e.name).join('\n'), e.name).toMatch(e.reason);
      for (const line of errors) expect(line).not.toMatch(/[\n\r]/);
      expect(await agent.pod('slow')).toBeUndefined();

      appendFileSync(join(agent.dir, 'slow.yaml'), slow.slice(cut));
      await agent.waitForPod('slow', (x) => x.status?.phase === 'Running', 90_000, 'Running once whole');
      await waitFor(async () => about(await manifestErrors(), 'slow.yaml').length === 0, { timeoutMs: 10_000, intervalMs: 200, message: 'slow.yaml error cleared' });

      // The agent carried on: alive, healthy, the valid pods untouched, only the pods meant to pass added.
      expect(agent.alive).toBe(true);
      expect((await agent.get('/healthz')).status).toBe(200);
      for (const n of ['valid-web', 'valid-init']) {
        const p = await agent.pod(n);
        expect(p?.status?.phase).toBe('Running');
        expect(cstatus(p, 'main')).toMatchObject({ containerID: before[n], restartCount: 0 });
      }
      const names = (await agent.pods()).map((p) => p.metadata!.name!).sort();
      expect(names).toEqual([...ACCEPTED_POD_NAMES, 'slow', 'valid-init', 'valid-web'].sort());
      expect(peak, `agent RSS peaked at ${Math.round(peak / 1048576)} MiB`).toBeLessThan(RSS_LIMIT);
    } finally {
      clearInterval(sampler);
      close();
    }

    // Hostile files removed: their errors go, the pods they let through stop, the valid ones stay.
    for (const f of [...files, ...entries.map((e) => e.file)]) rmSync(join(agent.dir, f), { recursive: true, force: true });
    let left: string[] = [];
    await waitFor(async () => { left = await manifestErrors(); return left.length === 0; }, { timeoutMs: 60_000, intervalMs: 250, message: () => `errors left: ${left.join(' | ').slice(0, 2000)}` });
    for (const n of ACCEPTED_POD_NAMES) await agent.waitForGone(n, 60_000);
    expect(cstatus(await agent.pod('valid-web'), 'main')!.containerID).toBe(before['valid-web']);
    expect(readFileSync(join(agent.dir, 'slow.yaml'), 'utf8')).toBe(slow);
  });
});
