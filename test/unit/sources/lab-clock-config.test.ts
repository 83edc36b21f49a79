// The lab clock's KubeletConfiguration extension (agent/config/kubelet-config.ts): `labClock.cronJobTimeScale`
// read from the file, default 1, an integer from 1 to 3600, a typo named with a suggestion.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultKubeletConfig, KubeletConfigError, resolveKubeletConfig } from '../../../agent/config/kubelet-config.js';
import { thrown } from '../../helpers/unconditional.js';

const dir = mkdtempSync(join(tmpdir(), 'mk-labclock-'));
let n = 0;
const file = (body: string): string => {
  const p = join(dir, `config-${n++}.yaml`);
  writeFileSync(p, `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n${body}`);
  return p;
};
const problem = (f: () => unknown): string => {
  const e = thrown(f);
  expect(e).toBeInstanceOf(KubeletConfigError);
  return (e as Error).message;
};

describe('labClock.cronJobTimeScale', () => {
  it('defaults to 1 (real time); the file sets it', () => {
    expect(defaultKubeletConfig().cronJobTimeScale).toBe(1);
    expect(resolveKubeletConfig(file('labClock:\n  cronJobTimeScale: 60\n')).cronJobTimeScale).toBe(60);
  });

  it.each([
    ['labClock:\n  cronJobTimeScale: 0\n', 'labClock.cronJobTimeScale: must be an integer between 1 and 3600, got 0'],
    ['labClock:\n  cronJobTimeScale: 7200\n', 'labClock.cronJobTimeScale: must be an integer between 1 and 3600, got 7200'],
    ['labClock:\n  cronJobTimeScale: 1.5\n', 'labClock.cronJobTimeScale: must be an integer, not 1.5'],
    ['labClock: 60\n', 'labClock: must be a mapping, not 60'],
    ['labClock:\n  cronjobTimeScale: 60\n', 'labClock.cronjobTimeScale: unknown field; did you mean "labClock.cronJobTimeScale"?'],
  ])('%j is refused', (body, text) => {
    expect(problem(() => resolveKubeletConfig(file(body)))).toContain(text);
  });
});
