// agent/api-server/selectors.ts — label selectors (`app=web`, `tier!=db`, `env in (a,b)`, `key`, `!key`) and
// field selectors (`metadata.name=web,status.phase!=Failed`) as the API server parses them.
//
// Called by the list and watch handlers of pods, events, nodes and namespaces. Pure functions: parse once
// per request (a syntax error or an unsupported field is an ApiError 400), then match objects.
import { badRequest } from './request.js';

type Labels = Readonly<Record<string, string>> | undefined;
interface Requirement { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!'; values: string[] }

export type LabelSelector = (labels: Labels) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

function parseRequirement(term: string): Requirement {
  let m = /^!\s*([A-Za-z0-9._/-]+)$/.exec(term);
  if (m) return { key: m[1]!, op: '!', values: [] };
  m = /^([A-Za-z0-9._/-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '') };
  m = /^([A-Za-z0-9._/-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] };
  m = /^([A-Za-z0-9._/-]+)$/.exec(term);
  if (m) return { key: m[1]!, op: 'exists', values: [] };
  throw badRequest(`unable to parse requirement: invalid label selector term "${term}"`);
}

export function parseLabelSelector(s: string | null): LabelSelector {
  if (!s || s.trim() === '') return () => true;
  const reqs = splitTerms(s).map(parseRequirement);
  return (labels) => reqs.every((r) => {
    const has = labels !== undefined && Object.hasOwn(labels, r.key);
    const v = has ? labels![r.key] : undefined;
    switch (r.op) {
      case '=': return v === r.values[0];
      case '!=': return v !== r.values[0];
      case 'in': return has && r.values.includes(v!);
      case 'notin': return !has || !r.values.includes(v!);
      case 'exists': return has;
      case '!': return !has;
    }
    return false;
  });
}

/** Field name → how to read it from an object (unset fields read as ''). */
export type FieldGetters<T> = Readonly<Record<string, (o: T) => string | undefined>>;

export interface FieldTerm { field: string; op: '=' | '!='; value: string }

export function parseFieldTerms(s: string | null): FieldTerm[] {
  if (!s || s.trim() === '') return [];
  return s.split(',').map((t) => t.trim()).filter((t) => t !== '').map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    return { field: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! };
  });
}

export function parseFieldSelector<T>(s: string | null, getters: FieldGetters<T>, kind: string): (o: T) => boolean {
  const terms = parseFieldTerms(s);
  for (const t of terms) {
    if (!Object.hasOwn(getters, t.field)) throw badRequest(`field label not supported: ${t.field} (for ${kind})`);
  }
  return (o) => terms.every((t) => {
    const v = getters[t.field]!(o) ?? '';
    return t.op === '=' ? v === t.value : v !== t.value;
  });
}

