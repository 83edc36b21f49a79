// agent/sources/manifest.ts — decodes one manifest file (YAML, multi-document YAML or JSON) into defaulted,
// validated Pods plus the ConfigMaps and Secrets beside them (and, when asked, the documents of other kinds,
// which the manifest folder applies to the API), and one error per problem naming
// `<file>[<doc>]`, the field, and the fix.
//
// Safe on hostile input: a size limit (1 MiB by default), binary data refused, YAML alias expansion capped,
// nesting depth and document count bounded, parser stack overflows caught. YAML is read with YAML 1.1
// scalars like kubectl (`0644` is octal, `yes`/`on` are booleans) but dates and sexagesimals stay strings,
// a key written twice is an error, and libyaml's leniency about under-indented continuation lines is kept.
// Each document stands alone: a bad one is reported and skipped, good ones in the same file are returned.
// Every error is one bounded line (origin, field and message each cut to a few hundred characters).
// An invalid pod is not returned, only its errors. Errors about a whole file (size, binary) use the bare
// file name as origin; list items keep their document's origin and get an `items[i].` field prefix.
import { basename, extname } from 'node:path';
import { isScalar, LineCounter, parseAllDocuments, visit, type Document, type Tags } from 'yaml';
import type { ConfigMap, Pod, Secret } from '../api/v1.js';
import { applyPodDefaults } from '../api/defaults.js';
import { dnsNameErrors, isObj, show, validateConfigObject, validatePod, type FieldError } from './validate.js';
import { boundedLine } from '../util/bounded-line.js';

export interface ManifestError { origin: string; field?: string; message: string }
/** A document of another kind (Deployment, Job, …), for the API to apply: only its apiVersion and name checked. */
export interface ManifestObject { object: Record<string, unknown>; origin: string }
export interface DecodedManifest {
  pods: { pod: Pod; origin: string }[];
  configMaps: ConfigMap[];
  secrets: Secret[];
  /** Documents of other kinds; always empty unless `otherKinds` was asked for (else they are errors). */
  objects: ManifestObject[];
  errors: ManifestError[];
}
export interface DecodeOptions {
  maxBytes?: number;
  /** Keep documents of kinds other than Pod, ConfigMap and Secret (the manifest folder applies them to the API). */
  otherKinds?: boolean;
}

export const DEFAULT_MAX_BYTES = 1 << 20;
const MAX_DEPTH = 64; // a Pod needs about 10 levels
const MAX_DOCS = 1000;
const MAX_ERRORS = 100;
const MAX_ALIASES = 100;
const SUPPORTED = ['Pod', 'ConfigMap', 'Secret'];
const TEMPLATE_OWNERS: Record<string, string> = {
  Deployment: 'spec.template', ReplicaSet: 'spec.template', ReplicationController: 'spec.template', DaemonSet: 'spec.template',
  StatefulSet: 'spec.template', Job: 'spec.template', CronJob: 'spec.jobTemplate.spec.template',
};

const MAX_ORIGIN = 200;
const MAX_FIELD = 200;
const MAX_MESSAGE = 500;
const bounded = (e: ManifestError): ManifestError => ({
  origin: boundedLine(e.origin, MAX_ORIGIN),
  ...(e.field !== undefined ? { field: boundedLine(e.field, MAX_FIELD) } : {}),
  message: boundedLine(e.message, MAX_MESSAGE),
});

/** `web.yaml[1]: spec.containers[0].livenessProbe.successThreshold: must be 1` */
export function formatManifestError(e: ManifestError): string {
  return e.field ? `${e.origin}: ${e.field}: ${e.message}` : `${e.origin}: ${e.message}`;
}

type Obj = Record<string, unknown>;
const kindOf = (v: unknown): string => (Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

/** YAML 1.1 core scalars as kubectl reads them, minus timestamps, sexagesimal numbers and the collection tags. */
const k8sTags = (tags: Tags): Tags => tags.filter((t) => {
  if (typeof t === 'string') return !/time|binary|omap|pairs|set/i.test(t);
  const tag = t.tag.replace('tag:yaml.org,2002:', '');
  return ['map', 'seq', 'str', 'null', 'bool', 'int', 'float', 'merge'].includes(tag) && !('format' in t && t.format === 'TIME');
});

function toText(data: string | Buffer): { text?: string; error?: string } {
  const nul = typeof data === 'string' ? data.indexOf('\0') : data.indexOf(0);
  if (nul >= 0) return { error: `binary data (a NUL byte at offset ${nul}), not a YAML or JSON manifest` };
  if (typeof data === 'string') return { text: data.replace(/^\uFEFF/, '') };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data) };
  } catch {
    return { error: 'binary data (not UTF-8 text), not a YAML or JSON manifest' };
  }
}

/** Deepest `[`/`{` nesting, a cheap bound checked before the (recursive) parsers run. */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/** Iterative, so it is safe on any depth (and on the cycles a recursive YAML alias makes). */
function tooDeep(v: unknown): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > MAX_DEPTH) return true;
    if (x !== null && typeof x === 'object') for (const y of Object.values(x)) stack.push([y, d + 1]);
  }
  return false;
}

/** A fresh tree without null-valued fields (Go reads `field: null` as unset). Keys such as `__proto__` stay plain data. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, clean(x)]));
  return v;
}

const MAX_BRACKETS = 256;
const stackOverflow = (e: unknown): boolean => e instanceof RangeError || /call stack/i.test(String((e as Error)?.message));
const DEEP = `nested more than ${MAX_DEPTH} levels deep (or holds a YAML alias that contains itself); a Pod needs about 10`;

/** libyaml (kubectl, PyYAML) lets a quoted scalar or a flow collection go on with lines indented less than its
 *  block, as the seed's loap manifest does; the `yaml` package refuses them. This re-indents such continuation
 *  lines past the opening quote or bracket. Values do not change (folding drops a continuation's leading spaces);
 *  it is only used when the text as written does not parse and the re-indented text does. */
export function relaxIndentation(text: string): string {
  const lines = text.split('\n');
  let quote = '';
  let flow = 0;
  let openCol = 0;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    const open = quote !== '' || flow > 0;
    if (open && line.trim() && line.length - line.trimStart().length <= openCol) line = lines[n] = ' '.repeat(openCol + 1) + line.trimStart();
    let prev = open ? 'x' : '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote === "'") { if (c === "'") { if (line[i + 1] === "'") i++; else { quote = ''; prev = 'x'; } } continue; }
      if (quote === '"') { if (c === '\\') i++; else if (c === '"') { quote = ''; prev = 'x'; } continue; }
      if (c === ' ' || c === '\t') continue;
      if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
      const opens = ((c === "'" || c === '"') && (prev === '' || ':[{,-?'.includes(prev))) || c === '[' || c === '{';
      if (opens && !quote && flow === 0) openCol = i;
      if (c === "'" || c === '"') { if (prev === '' || ':[{,-?'.includes(prev)) { quote = c; continue; } }
      else if (c === '[' || c === '{') flow++;
      else if ((c === ']' || c === '}') && flow > 0) flow--;
      prev = c;
    }
  }
  return lines.join('\n');
}

/** The first key written twice in one mapping (the parser's own check is quadratic, this one is linear). */
function duplicateKey(doc: Document, lines: LineCounter): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const { key } of map.items) {
        if (!isScalar(key) || key.value === '<<') continue;
        const k = String(key.value);
        if (seen.has(k)) {
          const at = key.range ? lines.linePos(key.range[0]) : undefined;
          found = `YAML syntax error: key ${show(k)} appears twice in one mapping${at ? ` (again at line ${at.line}, column ${at.col})` : ''}`;
          return visit.BREAK;
        }
        seen.add(k);
      }
      return undefined;
    },
  });
  return found;
}

/** Splits the text into documents: each either a value or the error that stopped it. */
function documents(text: string, json: boolean): { value?: unknown; error?: string }[] {
  if (json) {
    try {
      return [{ value: JSON.parse(text) }];
    } catch (e) {
      return [{ error: `invalid JSON: ${(e as Error).message}` }];
    }
  }
  const parse = (t: string) => {
    const lines = new LineCounter();
    return { lines, docs: parseAllDocuments(t, { version: '1.1', customTags: k8sTags, merge: true, uniqueKeys: false, lineCounter: lines }) };
  };
  let parsed = parse(text);
  if (parsed.docs.some((d) => d.errors.length)) {
    const relaxed = parse(relaxIndentation(text));
    if (relaxed.docs.length === parsed.docs.length && relaxed.docs.every((d) => !d.errors.length)) parsed = relaxed;
  }
  const { lines, docs } = parsed;
  return docs.map((doc) => {
    if (doc.errors.length) {
      const msgs = doc.errors.slice(0, 3).map((e) => {
        const first = e.message.split('\n')[0]!.replace(/:$/, '');
        return e.code === 'TAB_AS_INDENT' ? `${first} (indent with spaces)` : first;
      });
      return { error: `YAML syntax error: ${msgs.join('; ')}` };
    }
    try {
      const dup = duplicateKey(doc, lines);
      return dup ? { error: dup } : { value: doc.toJS({ maxAliasCount: MAX_ALIASES }) };
    } catch (e) {
      const msg = (e as Error).message;
      if (stackOverflow(e)) return { error: `document is ${DEEP}` };
      return { error: /alias count/i.test(msg) ? `too many YAML alias expansions (an alias bomb?): refusing to expand more than ${MAX_ALIASES}` : `YAML error: ${msg}` };
    }
  });
}

class Collector {
  constructor(readonly out: DecodedManifest, readonly origin: string, readonly prefix: string, readonly otherKinds = false) {}
  error(field: string | undefined, message: string): void {
    const f = field === undefined ? (this.prefix ? this.prefix.slice(0, -1) : undefined) : this.prefix + field;
    this.out.errors.push(f === undefined ? { origin: this.origin, message } : { origin: this.origin, field: f, message });
  }
  errors(errs: FieldError[]): void { for (const e of errs) this.error(e.field || undefined, e.message); }
  item(i: number): Collector { return new Collector(this.out, this.origin, `${this.prefix}items[${i}].`, this.otherKinds); }
  /** `web.yaml[0]`, or `web.yaml[0].items[2]` for a list item. */
  where(): string { return this.prefix ? `${this.origin}.${this.prefix.slice(0, -1)}` : this.origin; }
}

/** A document of another kind kept for the API: it needs an apiVersion and a fixed name (the API validates the rest). */
function otherKind(o: Obj, kind: string, at: Collector): void {
  const md = o.metadata;
  let ok = true;
  if (typeof o.apiVersion !== 'string' || !o.apiVersion) { ok = false; at.error('apiVersion', `Required value: a ${kind} needs the apiVersion of its API group, e.g. apps/v1`); }
  if (!isObj(md) || typeof md.name !== 'string' || !md.name) {
    ok = false;
    const gen = isObj(md) && md.generateName !== undefined ? '; generateName is not supported here: the object is found again by its name when the file changes' : '';
    at.error('metadata.name', `Required value: name is required${gen}`);
  }
  if (ok) at.out.objects.push({ object: o, origin: at.where() });
}

function unsupportedKind(o: Obj, kind: string, at: Collector): void {
  const near = SUPPORTED.find((k) => k.toLowerCase() === kind.toLowerCase());
  if (!near && at.otherKinds) return otherKind(o, kind, at);
  if (near) {
    at.error('kind', `Unsupported value: ${show(kind)}: supported values: "Pod", "ConfigMap", "Secret"; did you mean "${near}"? (kinds are case-sensitive)`);
    return;
  }
  let hint = '';
  const tpl = TEMPLATE_OWNERS[kind];
  if (tpl) {
    const t = tpl.split('.').reduce<unknown>((x, k) => (isObj(x) ? x[k] : undefined), o);
    if (isObj(t) && isObj(t.spec)) hint = `; to run its pod here, write a Pod from its template: apiVersion: v1, kind: Pod, metadata with a name, and ${tpl}.spec as spec`;
  }
  at.error(undefined, `kind ${show(kind)} is not supported: only Pod, ConfigMap and Secret documents (or a List of them) run on this node${hint}`);
  const md = o.metadata;
  if (isObj(md) && typeof md.name === 'string') at.errors(dnsNameErrors('metadata.name', md.name, 'subdomain'));
}

function handle(v: unknown, at: Collector, listKind?: string): void {
  if (!isObj(v)) {
    const hint = Array.isArray(v) && v.some(isObj) ? '; separate documents with --- instead of making a top-level list' : '';
    at.error(undefined, `${at.prefix ? 'item' : 'document'} is ${kindOf(v)}, not an object; expected a Kubernetes object with apiVersion and kind${hint}`);
    return;
  }
  const o = clean(v) as Obj;
  if (listKind === 'PodList') { o.kind ??= 'Pod'; o.apiVersion ??= 'v1'; }
  const { kind, apiVersion } = o;
  if (kind === undefined) at.error('kind', `Required value: every document needs a kind; for a pod write kind: Pod${apiVersion === undefined ? ' and apiVersion: v1' : ''}`);
  if (kind !== undefined && typeof kind !== 'string') at.error('kind', `Invalid value: ${show(kind)}: must be a string`);
  if (typeof kind !== 'string') return;
  const isList = kind === 'List' || kind === 'PodList';
  if (!isList && !SUPPORTED.includes(kind)) return unsupportedKind(o, kind, at);
  if (apiVersion !== 'v1') {
    at.error('apiVersion', apiVersion === undefined ? `Required value: ${kind} is in apiVersion v1; write apiVersion: v1` : `Unsupported value: ${show(apiVersion)}: supported values: "v1" (${kind} is in the core group)`);
    return;
  }
  if (isList) {
    if (listKind) return at.error('kind', 'Forbidden: a List inside a List is not supported');
    if (o.items !== undefined && !Array.isArray(o.items)) return at.error('items', `must be a list, not ${kindOf(o.items)}`);
    (o.items as unknown[] | undefined ?? []).forEach((item, i) => handle(item, at.item(i), kind));
    return;
  }
  if (kind === 'Pod') {
    const pod = applyPodDefaults(o as Pod);
    const errs = validatePod(pod);
    if (errs.length) return at.errors(errs);
    at.out.pods.push({ pod, origin: at.where() });
    return;
  }
  const errs = validateConfigObject(o, kind as 'ConfigMap' | 'Secret');
  if (errs.length) return at.errors(errs);
  if (isObj(o.metadata) && !o.metadata.namespace) o.metadata.namespace = 'default';
  if (kind === 'ConfigMap') at.out.configMaps.push(o as unknown as ConfigMap);
  else at.out.secrets.push(o as unknown as Secret);
}

/** Decodes one manifest file. `fileName` is only used for the origin (`<basename>[<doc>]`) and its extension. */
export function decodeManifest(fileName: string, data: string | Buffer, opts: DecodeOptions = {}): DecodedManifest {
  const out: DecodedManifest = { pods: [], configMaps: [], secrets: [], objects: [], errors: [] };
  const base = basename(fileName);
  const fileError = (message: string): DecodedManifest => { out.errors.push(bounded({ origin: base, message })); return out; };
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (size > maxBytes) return fileError(`file is ${size} bytes, larger than the ${maxBytes}-byte limit for a manifest`);
  const { text, error } = toText(data);
  if (text === undefined) return fileError(error!);
  if (!text.trim()) return out;
  if (flowDepth(text) > MAX_BRACKETS) return fileError(`brackets nested more than ${MAX_BRACKETS} levels deep; a Pod needs about 10`);
  const docCount = (text.match(/^---/gm) ?? []).length;
  if (docCount > MAX_DOCS) return fileError(`file has ${docCount} documents; at most ${MAX_DOCS} are read from one file`);

  let docs: { value?: unknown; error?: string }[];
  try {
    docs = documents(text, extname(base).toLowerCase() === '.json');
  } catch (e) {
    return fileError(stackOverflow(e) ? `the text is nested too deeply for the YAML parser (it ran out of stack); a Pod needs about 10 levels` : `cannot parse: ${(e as Error).message}`);
  }
  docs.forEach((d, i) => {
    const at = new Collector(out, `${base}[${i}]`, '', opts.otherKinds === true);
    if (d.error !== undefined) return at.error(undefined, d.error);
    if (d.value === undefined || d.value === null) return; // empty document
    if (tooDeep(d.value)) return at.error(undefined, `document is ${DEEP}`);
    try {
      handle(d.value, at);
    } catch (e) {
      at.error(undefined, stackOverflow(e) ? `document is ${DEEP}` : `cannot decode: ${(e as Error).message}`);
    }
  });
  if (out.errors.length > MAX_ERRORS) {
    const more = out.errors.length - MAX_ERRORS;
    out.errors.splice(MAX_ERRORS, more, { origin: base, message: `${more} more errors not shown` });
  }
  out.errors = out.errors.map(bounded);
  return out;
}
