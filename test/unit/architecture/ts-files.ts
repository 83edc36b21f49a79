// Reading the repository's own TypeScript for the architecture tests: list the .ts files under a folder and
// parse one with the TypeScript compiler API (syntax only: nothing is type-checked or run).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository root (this file is test/unit/architecture/ts-files.ts). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Repository-relative path with forward slashes, e.g. "agent/kubelet.ts". */
export function repoPath(abs: string): string {
  return relative(REPO, abs).split(sep).join('/');
}

/** Every .ts file under `dir` (repository-relative), sorted; declaration files left out. */
export function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const p = join(abs, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(repoPath(p));
    }
  };
  walk(join(REPO, dir));
  return out.sort();
}

export function parseTs(file: string, text?: string): ts.SourceFile {
  return ts.createSourceFile(file, text ?? readFileSync(join(REPO, file), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** 1-based line of a node. */
export function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}
