// The programs tests run besides Docker (test/helpers/required-tools.ts): the up-front check names what is
// missing and how to get it, only for the programs the run's test files run (themselves or through the
// helpers they import).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubectlVersion, missingTools, REQUIRED_TOOLS, runsProgram, type RequiredTool } from '../../helpers/required-tools.js';
import { REPO, tsFilesUnder } from './ts-files.js';

const tool = (name: string, problem?: string): RequiredTool => ({ name, problem: () => problem, install: `get ${name}` });

describe('missingTools', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-tools-'));
  writeFileSync(join(dir, 'helper.ts'), "import { execa } from 'execa';\nexport const k = () => execa('kubectl', ['get', 'pods']);\n");
  writeFileSync(join(dir, 'uses.test.ts'), "import { k } from './helper.js';\n");
  writeFileSync(join(dir, 'plain.test.ts'), "import { expect } from 'vitest';\n");

  it('finds a program run by the file itself or through a relative import', () => {
    expect(runsProgram(join(dir, 'helper.ts'), 'kubectl')).toBe(true);
    expect(runsProgram(join(dir, 'uses.test.ts'), 'kubectl')).toBe(true);
    expect(runsProgram(join(dir, 'plain.test.ts'), 'kubectl')).toBe(false);
    expect(runsProgram(join(dir, 'uses.test.ts'), 'python3')).toBe(false);
  });

  it('names each missing program the run uses, with how to get it; programs of other files are not asked', () => {
    const tools = [tool('kubectl', 'not installed'), tool('python3', 'absent')];
    expect(missingTools([join(dir, 'uses.test.ts'), join(dir, 'plain.test.ts')], tools)).toEqual(['kubectl: not installed. To get it: get kubectl']);
    expect(missingTools([join(dir, 'plain.test.ts')], tools)).toEqual([]);
  });

  it('reads the kubectl client version', () => {
    expect(kubectlVersion('{"clientVersion":{"major":"1","minor":"32+","gitVersion":"v1.32.4-dispatcher"}}')).toEqual([1, 32]);
    expect(kubectlVersion('{"clientVersion":{"gitVersion":"v1.20.2"}}')).toEqual([1, 20]);
    expect(kubectlVersion('error: unknown flag')).toBeUndefined();
  });
});

describe('the required tools', () => {
  it('are each run by some test file today (the table holds no stale entry)', () => {
    const files = tsFilesUnder('test').filter((f) => f.endsWith('.test.ts')).map((f) => join(REPO, f));
    const unused = REQUIRED_TOOLS.filter((t) => !files.some((f) => runsProgram(f, t.name))).map((t) => t.name);
    expect(REQUIRED_TOOLS.map((t) => t.name)).toEqual(['kubectl', 'python3']);
    expect(unused).toEqual([]);
  });
});
