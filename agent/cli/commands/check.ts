// agent/cli/commands/check.ts — `mini-kubelet check [--strict] [-o text|json] FILE|DIR…`: for each manifest,
// the validation errors the agent would report (decodeManifest), and for each pod the fields mini-kubelet
// honours, approximates or ignores (spec-support), the admission problems it would be refused for, and
// the ConfigMaps/Secrets it waits for that none of the checked files define. Exit 1 on any error (with
// --strict also on a pod that uses an ignored field), 2 on a usage error, else 0. Reads files only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pod } from '../../api/v1.js';
import { decodeManifest, formatManifestError } from '../../sources/manifest.js';
import { admissionProblems, classifyPod, strictFieldErrors, summaryPattern, type FieldUse } from '../../spec-support/classify.js';
import { podReferences } from '../../spec-support/references.js';

const HELP = `Usage: mini-kubelet check [--strict] [-o text|json] FILE|DIR...

Checks Pod manifests (YAML, multi-document YAML or JSON; ConfigMaps and Secrets beside them) the way the
agent reads them, without running anything. For each pod it lists the fields mini-kubelet honours, those it
approximates (with the difference) and those it ignores (fields that need a cluster), the reasons the agent
would refuse it, and the ConfigMaps and Secrets it would wait for. A directory means its .yaml, .yml and
.json files.

Flags:
  --strict        a pod that uses an ignored field is an error (as the agent's --strict refuses it)
  -o, --output    text (default) or json
  -h, --help      this help

Exit status: 0 all good, 1 errors found, 2 usage error.
`;

export interface PodReport {
  readonly name: string;
  readonly namespace: string;
  readonly origin: string;
  readonly fields: FieldUse[];
  readonly errors: string[];
  readonly waitsFor: string[];
}

export interface FileReport {
  readonly file: string;
  readonly errors: string[];
  readonly pods: PodReport[];
  readonly configMaps: string[];
  readonly secrets: string[];
}

const MANIFEST = new Set(['.yaml', '.yml', '.json']);

function expand(paths: readonly string[]): { files: string[]; errors: FileReport[] } {
  const files: string[] = [];
  const errors: FileReport[] = [];
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) {
        for (const f of readdirSync(p).sort()) if (MANIFEST.has(extname(f).toLowerCase()) && !f.startsWith('.') && statSync(join(p, f)).isFile()) files.push(join(p, f));
      } else files.push(p);
    } catch (err) {
      errors.push({ file: p, errors: [`${p}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`], pods: [], configMaps: [], secrets: [] });
    }
  }
  return { files, errors };
}

/** The reports for these files and directories. */
export function checkFiles(paths: readonly string[], strict: boolean): FileReport[] {
  const { files, errors } = expand(paths);
  const decoded = files.map((file) => {
    try {
      return { file, d: decodeManifest(file, readFileSync(file)) };
    } catch (err) {
      return { file, d: undefined, err: `${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
  });
  const known = new Set<string>();
  for (const { d } of decoded) {
    for (const c of d?.configMaps ?? []) known.add(`ConfigMap/${c.metadata?.namespace ?? 'default'}/${c.metadata?.name}`);
    for (const s of d?.secrets ?? []) known.add(`Secret/${s.metadata?.namespace ?? 'default'}/${s.metadata?.name}`);
  }
  const reports: FileReport[] = [...errors];
  for (const { file, d, err } of decoded) {
    if (!d) { reports.push({ file, errors: [err!], pods: [], configMaps: [], secrets: [] }); continue; }
    reports.push({
      file,
      errors: d.errors.map(formatManifestError),
      pods: d.pods.map(({ pod, origin }) => podReport(pod, origin, strict, known)),
      configMaps: d.configMaps.map((c) => `${c.metadata?.namespace ?? 'default'}/${c.metadata?.name}`),
      secrets: d.secrets.map((s) => `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name}`),
    });
  }
  return reports;
}

function podReport(pod: Pod, origin: string, strict: boolean, known: ReadonlySet<string>): PodReport {
  const ns = pod.metadata?.namespace ?? 'default';
  const errs = [...admissionProblems(pod), ...(strict ? strictFieldErrors(pod) : [])];
  return {
    name: pod.metadata?.name ?? '',
    namespace: ns,
    origin,
    fields: classifyPod(pod),
    errors: errs.map((e) => `${origin}: ${e.field}: ${e.message}`),
    waitsFor: podReferences(pod).filter((r) => !r.optional && !known.has(`${r.kind}/${ns}/${r.name}`)).map((r) => `${r.kind} ${ns}/${r.name} (${r.use})`),
  };
}

function wrap(label: string, items: readonly string[], width = 100): string[] {
  const pad = ' '.repeat(label.length);
  const lines: string[] = [];
  let cur = label;
  for (const [i, it] of items.entries()) {
    const piece = it + (i < items.length - 1 ? ',' : '');
    if (cur.length > label.length && cur.length + 1 + piece.length > width) { lines.push(cur); cur = pad; }
    cur += (cur.length > label.length ? ' ' : '') + piece;
  }
  lines.push(cur);
  return lines;
}

export function renderText(reports: readonly FileReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(r.file);
    const objs = [...r.configMaps.map((c) => `ConfigMap ${c}`), ...r.secrets.map((s) => `Secret ${s}`)];
    if (objs.length) out.push(...wrap('  objects:      ', objs));
    for (const p of r.pods) {
      out.push(`  Pod ${p.namespace}/${p.name} (${p.origin})`);
      const honoured = [...new Set(p.fields.filter((f) => f.support === 'honoured').map((f) => summaryPattern(f.pattern)))];
      if (honoured.length) out.push(...wrap('    honoured:     ', honoured));
      for (const kind of ['approximated', 'ignored'] as const) {
        const list = p.fields.filter((f) => f.support === kind);
        list.forEach((f, i) => out.push(`    ${i === 0 ? `${kind}:`.padEnd(14) : ' '.repeat(14)}${f.path}${f.note ? ` — ${f.note}` : ''}`));
      }
      for (const w of p.waitsFor) out.push(`    waits for:    ${w}: not in the files checked; until it exists the pod waits`);
      for (const e of p.errors) out.push(`    error: ${e}`);
    }
    for (const e of r.errors) out.push(`  error: ${e}`);
    if (!r.pods.length && !r.errors.length && !objs.length) out.push('  (no pods)');
  }
  return `${out.join('\n')}\n`;
}

export async function runCheck(argv: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
      strict: { type: 'boolean' }, output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) { process.stdout.write(HELP); return 0; }
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') { process.stderr.write(`unknown output format "${output}": use text or json\n`); return 2; }
  if (!positionals.length) { process.stderr.write(`no manifest given\n\n${HELP}`); return 2; }
  const reports = checkFiles(positionals, !!values.strict);
  process.stdout.write(output === 'json' ? `${JSON.stringify({ files: reports }, null, 2)}\n` : renderText(reports));
  const failed = reports.some((r) => r.errors.length || r.pods.some((p) => p.errors.length));
  return failed ? 1 : 0;
}
