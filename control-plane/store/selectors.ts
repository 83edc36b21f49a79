// control-plane/store/selectors.ts — label selectors (equality `a=b`, `a==b`, `a!=b`; set-based `a in (x,y)`,
// `a notin (x)`, `a`, `!a`; `a>1`, `a<1`) and field selectors (`metadata.name=x`, `f!=y`), parsed once and
// matched against objects, plus the LabelSelector of a spec (matchLabels/matchExpressions).
//
// PURE. Parse errors are 400 BadRequest StatusErrors with apimachinery's wording.
import { badRequest } from './errors.js';
import type { KubeObject, FieldSet } from './types.js';

type Labels = Readonly<Record<string, string>> | undefined;
type Op = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
interface Requirement { key: string; op: Op; values: string[] }

export interface LabelSelector { matches(labels: Labels): boolean; readonly empty: boolean }

export const everything: LabelSelector = { matches: () => true, empty: true };

// Tokens of apimachinery's labels lexer: identifiers and the operators/punctuation between them.
const TOKEN = /\s*(!=|==|=|!|\(|\)|,|>|<|[^\s!=(),<>]+)/y;

function lex(s: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < s.length && (m = TOKEN.exec(s)) !== null) out.push(m[1]!);
  if (s.slice(TOKEN.lastIndex).trim() !== '') throw badRequest(`unable to parse requirement: unexpected text "${s.slice(TOKEN.lastIndex)}"`);
  return out;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): void {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  const ok = NAME.test(name) && name.length <= 63 && (slash < 0 || (PREFIX.test(prefix) && prefix.length <= 253));
  if (!ok) throw badRequest(`unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
}

function checkValue(v: string): void {
  if (v !== '' && (!NAME.test(v) || v.length > 63)) {
    throw badRequest(`unable to parse requirement: invalid label value: "${v}": at key: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
}

class Parser {
  private i = 0;
  constructor(private readonly toks: string[]) {}
  private peek(): string | undefined { return this.toks[this.i]; }
  private take(): string | undefined { return this.toks[this.i++]; }
  private expect(tok: string): void {
    const got = this.take();
    if (got !== tok) throw badRequest(`unable to parse requirement: found '${got ?? ''}', expected: '${tok}'`);
  }

  requirements(): Requirement[] {
    const out: Requirement[] = [];
    while (this.peek() !== undefined) {
      out.push(this.requirement());
      if (this.peek() === undefined) break;
      this.expect(',');
    }
    return out;
  }

  private requirement(): Requirement {
    if (this.peek() === '!') { this.take(); return this.keyOnly('!'); }
    const key = this.identifier();
    const op = this.peek();
    if (op === undefined || op === ',') return { key, op: 'exists', values: [] };
    this.take();
    if (op === '=' || op === '==' || op === '!=') return { key, op: op === '!=' ? '!=' : '=', values: [this.value(true)] };
    if (op === '>' || op === '<') return this.number(key, op === '>' ? 'gt' : 'lt');
    if (op === 'in' || op === 'notin') return { key, op, values: this.set() };
    throw badRequest(`unable to parse requirement: found '${op}', expected: in, notin, =, ==, !=, gt, lt`);
  }

  private keyOnly(op: Op): Requirement { return { key: this.identifier(), op, values: [] }; }

  private identifier(): string {
    const t = this.take();
    if (t === undefined || /^[!=(),<>]|^!=|^==/.test(t)) throw badRequest(`unable to parse requirement: found '${t ?? ''}', expected: identifier`);
    checkKey(t);
    return t;
  }

  private value(allowEmpty: boolean): string {
    const t = this.peek();
    if (t === undefined || t === ',' || t === ')') {
      if (!allowEmpty) throw badRequest(`unable to parse requirement: found '${t ?? ''}', expected: identifier`);
      return '';
    }
    this.take();
    checkValue(t);
    return t;
  }

  private number(key: string, op: Op): Requirement {
    const v = this.value(false);
    if (!/^-?\d+$/.test(v)) throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
    return { key, op, values: [v] };
  }

  private set(): string[] {
    this.expect('(');
    const values: string[] = [];
    for (;;) {
      values.push(this.value(true));
      const t = this.take();
      if (t === ')') return values;
      if (t !== ',') throw badRequest(`unable to parse requirement: found '${t ?? ''}', expected: ',', ')'`);
    }
  }
}

function matchOne(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const v = has ? labels![r.key]! : undefined;
  switch (r.op) {
    case '=': return has && v === r.values[0];
    case '!=': return !has || v !== r.values[0];
    case 'in': return has && r.values.includes(v!);
    case 'notin': return !has || !r.values.includes(v!);
    case 'exists': return has;
    case '!': return !has;
    case 'gt': return has && /^-?\d+$/.test(v!) && Number(v) > Number(r.values[0]);
    case 'lt': return has && /^-?\d+$/.test(v!) && Number(v) < Number(r.values[0]);
  }
}

const fromRequirements = (reqs: Requirement[]): LabelSelector =>
  reqs.length === 0 ? everything : { matches: (labels) => reqs.every((r) => matchOne(r, labels)), empty: false };

export function parseLabelSelector(s: string | undefined): LabelSelector {
  if (s === undefined || s.trim() === '') return everything;
  return fromRequirements(new Parser(lex(s)).requirements());
}

/** metav1.LabelSelector (matchLabels + matchExpressions) as the controllers' specs carry it. */
export interface SpecSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

const SPEC_OPS: Record<string, Op> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

export function selectorFromSpec(sel: SpecSelector | undefined): LabelSelector {
  const reqs: Requirement[] = Object.entries(sel?.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=' as Op, values: [v] }));
  for (const e of sel?.matchExpressions ?? []) {
    const op = SPEC_OPS[e.operator];
    if (!op) throw badRequest(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return fromRequirements(reqs);
}

// ---- field selectors ----

interface FieldTerm { field: string; op: '=' | '!='; value: string }

export interface FieldSelector { matches(obj: KubeObject): boolean; readonly empty: boolean; readonly terms: readonly FieldTerm[] }

const baseFields = (o: KubeObject): Record<string, string | undefined> =>
  ({ 'metadata.name': o.metadata?.name, 'metadata.namespace': o.metadata?.namespace ?? '' });

/** Parses `a=b,c!=d` (values may escape `\,` `\=` `\\`). Unknown fields are a 400 naming the field. */
export function parseFieldSelector(s: string | undefined, fields?: FieldSet): FieldSelector {
  const terms: FieldTerm[] = [];
  for (const raw of splitUnescaped(s ?? '', ',')) {
    const term = raw.trim();
    if (term === '') continue;
    const m = /^(.*?)(!=|==|=)(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    terms.push({ field: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3]!.replace(/\\(.)/g, '$1') });
  }
  const read = (o: KubeObject) => ({ ...(fields ? fields.get(o) : {}), ...baseFields(o) });
  const known = new Set(['metadata.name', 'metadata.namespace', ...(fields?.names ?? [])]);
  for (const t of terms) if (!known.has(t.field)) throw badRequest(`field label not supported: ${t.field}`);
  return {
    terms,
    empty: terms.length === 0,
    matches(o) {
      if (terms.length === 0) return true;
      const values = read(o);
      return terms.every((t) => ((values[t.field] ?? '') === t.value) === (t.op === '='));
    },
  };
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) { cur += s[i]! + s[i + 1]!; i++; continue; }
    if (s[i] === sep) { out.push(cur); cur = ''; continue; }
    cur += s[i]!;
  }
  out.push(cur);
  return out;
}

/** The value of a field the selector requires with `=`, if any (lets a list narrow to one name or namespace). */
export const requiredField = (sel: FieldSelector, field: string): string | undefined =>
  sel.terms.find((t) => t.field === field && t.op === '=')?.value;
